// "Fit" and "Tidy up" frame the graph above the minimap (bottom right) and the zoom controls (bottom left), so no
// node ends under them; the minimap is kept small (160 × 100 px, React Flow's default is 200 × 150).
import type { FitViewOptions } from '@xyflow/react';
import type { DesignerNode } from '../store/graph-ops';

export const MINIMAP_SIZE = { width: 160, height: 100 } as const;
/** React Flow puts the minimap 15 px from the pane's edge. */
const MINIMAP_MARGIN = 15;

export const FIT_VIEW_OPTIONS: FitViewOptions<DesignerNode> = {
  padding: {
    top: '40px',
    left: '40px',
    right: '40px',
    bottom: `${MINIMAP_SIZE.height + MINIMAP_MARGIN + 16}px`,
  },
  duration: 300,
};
