// A pill on a node with its asset checks' last results ("✗ checks 1/2 failed"); its title says why each failed.
import { checkFailureReason, checksBadge } from '@designer/shared';
import { useNodeChecks } from './check-results';
import './checks.css';

export function ChecksBadge({ id, label }: { id: string; label: string }) {
  const checks = useNodeChecks(id);
  const badge = checksBadge(checks);
  if (!badge) return null;
  const failed = checks.filter((c) => c.status === 'failed' || c.status === 'error');
  const title = failed.length
    ? failed
        .map((c) =>
          [
            `${c.asset} ${c.name}: ${c.status}${c.blocking ? ' (blocking)' : ''}`,
            checkFailureReason(c.evaluation) || c.description,
          ]
            .filter(Boolean)
            .join('\n'),
        )
        .join('\n\n')
    : checks.map((c) => `${c.asset} ${c.name}: ${c.status.replace('_', ' ')}`).join('\n');
  return (
    <span className={`node-pill checks-pill ${badge.tone}`} data-testid={`checks-${label}`} title={title}>
      {badge.tone === 'passed' ? '✓' : badge.tone === 'running' ? '…' : '✗'} {badge.text}
    </span>
  );
}
