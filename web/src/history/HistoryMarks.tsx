// Nodes a compared version had and the newer one lacks, drawn as red ghosts where they stood (inside the flow's
// viewport, so they pan and zoom with the canvas); added and changed nodes are marked by canvas-marks.ts.
import { ViewportPortal } from '@xyflow/react';
import { useHistory } from './history-store';

export function HistoryMarks() {
  const removed = useHistory((s) => s.diff?.removedNodes);
  if (!removed || removed.length === 0) return null;
  return (
    <ViewportPortal>
      {removed.map((n) => (
        <div
          key={n.id}
          className="diff-ghost"
          data-testid={`ghost-${n.data.label}`}
          style={{ transform: `translate(${n.position.x}px, ${n.position.y}px)` }}
          title={`Removed: ${n.data.label} (${n.data.component_type})`}
        >
          <span className="diff-ghost-label">{n.data.label}</span>
          <span className="diff-ghost-type">removed · {n.data.component_type.split('.').pop()}</span>
        </div>
      ))}
    </ViewportPortal>
  );
}
