// A node far zoomed out (detail.ts): its box and colour bar, the same size as when it is drawn in full, with its
// handles (React Flow ends edges on them); its name in a tooltip and as its accessible name.
import { Handle, Position } from '@xyflow/react';

export function OutlineNode(props: {
  label: string;
  title: string;
  color: string;
  selected: boolean;
  extra?: string;
}) {
  return (
    <div
      className={`component-node outline${props.extra ? ` ${props.extra}` : ''}${props.selected ? ' selected' : ''}`}
      data-testid={`node-${props.label}`}
      style={{ ['--accent' as string]: props.color }}
      title={`${props.label} · ${props.title}`}
      aria-label={props.label}
    >
      <Handle type="target" position={Position.Left} className="handle" aria-label="Upstream" />
      <Handle type="source" position={Position.Right} className="handle" aria-label="Downstream" />
    </div>
  );
}
