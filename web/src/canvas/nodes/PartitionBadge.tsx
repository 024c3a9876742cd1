// A small pill on a component node saying how its assets are partitioned (daily from 2024-01-01, 3 partitions…).
import { nodePartitionsDef, partitionsBadge } from '@designer/shared';
import type { ComponentNodeData } from '../../store/graph-ops';

/** Bottom left, across from the automation pill (bottom right). */
const PILL = {
  position: 'absolute',
  bottom: -9,
  left: 10,
  background: 'var(--panel)',
  color: '#0f766e',
  borderColor: '#0f766e',
} as const;

export function PartitionBadge({ data }: { data: ComponentNodeData }) {
  const value = nodePartitionsDef(data);
  const text = partitionsBadge(value);
  if (!text) return null;
  return (
    <span
      className="node-pill partition-pill"
      data-testid="partition-badge"
      style={PILL}
      title={`Partitions: ${typeof value === 'string' ? value : JSON.stringify(value)}`}
    >
      ▦ {text}
    </span>
  );
}
