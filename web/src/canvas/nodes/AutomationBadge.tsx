// A small pill on a component node saying when its assets materialize by themselves (its automation condition).
import { automationBadge } from '@designer/shared';

export function AutomationBadge({ condition }: { condition: unknown }) {
  const text = automationBadge(condition);
  if (!text) return null;
  return (
    <span
      className="node-pill automation-pill"
      data-testid="automation-badge"
      title={`Automation condition: ${String(condition)}`}
    >
      auto: {text}
    </span>
  );
}
