// A run's AssetCheckEvaluationEvent in the run timeline: the check, passed or failed with its severity, and why.
import { checkFailureReason, type CheckEvaluation } from '@designer/shared';
import './checks.css';

export function CheckEventLine({ check }: { check: CheckEvaluation }) {
  const why = checkFailureReason(check);
  return (
    <div className="check-event" data-testid="run-check">
      <span
        className={`check-result ${check.passed ? 'passed' : 'failed'}${check.severity === 'WARN' ? ' warn' : ''}`}
      >
        {check.passed ? 'passed' : `failed · ${check.severity}`}
      </span>{' '}
      <span className="mono">
        {check.asset} {check.name}
      </span>
      {!check.passed && why && <pre className="check-why">{why}</pre>}
    </div>
  );
}
