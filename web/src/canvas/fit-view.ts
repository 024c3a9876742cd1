// "Fit" and "Tidy up" frame the graph above the minimap (bottom right) and the zoom controls (bottom left), so no
// node ends under them; the minimap is kept small (160 × 100 px, React Flow's default is 200 × 150).
import type { FitViewOptions } from '@xyflow/react';
import type { DesignerNode } from '../store/graph-ops';

export const MINIMAP_SIZE = { width: 160, height: 100 } as const;
/** React Flow puts the minimap 15 px from the pane's edge. */
const MINIMAP_MARGIN = 15;

/** Screen pixels kept free on each side of a framed graph: the bottom strip holds the minimap and the controls. */
export const FIT_PADDING = {
  top: 40,
  left: 40,
  right: 40,
  bottom: MINIMAP_SIZE.height + MINIMAP_MARGIN + 16,
} as const;

/** Where the minimap sits in a pane of this size (screen pixels). */
export const minimapRect = (pane: { width: number; height: number }) => ({
  x: pane.width - MINIMAP_MARGIN - MINIMAP_SIZE.width,
  y: pane.height - MINIMAP_MARGIN - MINIMAP_SIZE.height,
  width: MINIMAP_SIZE.width,
  height: MINIMAP_SIZE.height,
});

export const FIT_VIEW_OPTIONS: FitViewOptions<DesignerNode> = {
  padding: {
    top: `${FIT_PADDING.top}px`,
    left: `${FIT_PADDING.left}px`,
    right: `${FIT_PADDING.right}px`,
    bottom: `${FIT_PADDING.bottom}px`,
  },
  duration: 300,
};
