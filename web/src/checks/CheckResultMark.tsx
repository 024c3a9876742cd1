// A check's mark in the Assets tab: hollow until a run evaluates it, then ✓ or ✗ (with its severity), and in
// the row's last cell why it failed.
import { checkFailureReason } from '@designer/shared';
import { useCheckResults } from './check-results';

const MARKS = {
  passed: ['✓', 'passed'],
  failed: ['✗', 'failed'],
  error: ['✗', 'error: the check raised'],
  running: ['…', 'running'],
  skipped: ['–', 'skipped'],
  not_run: ['○', 'Not run yet: no run has evaluated this check'],
} as const;

function useResult(checkKey: string) {
  return useCheckResults().find((r) => r.key === checkKey);
}

export function CheckResultMark({ checkKey }: { checkKey: string }) {
  const result = useResult(checkKey);
  const status = result?.status ?? 'not_run';
  const [mark, words] = MARKS[status];
  const severity = result?.evaluation && !result.evaluation.passed ? ` (${result.evaluation.severity})` : '';
  return (
    <span
      className={`check-status ${status.replace('_', '-')}`}
      data-testid={`check-status-${checkKey}`}
      title={`${words}${severity}${result?.at ? ` · ${new Date(result.at).toLocaleString()}` : ''}`}
      aria-label={status.replace('_', ' ')}
    >
      {mark}
    </span>
  );
}

/** Why the check failed (its result's description and metadata), else the spec's description. */
export function CheckResultText({ checkKey, description }: { checkKey: string; description: string }) {
  const result = useResult(checkKey);
  const why =
    result && (result.status === 'failed' || result.status === 'error')
      ? checkFailureReason(result.evaluation)
      : '';
  return why ? <span title={description}>{why.replace(/\n/g, ' · ')}</span> : <>{description}</>;
}
