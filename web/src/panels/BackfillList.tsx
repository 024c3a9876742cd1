// The Runs tab's backfills: each with its partitions, progress per asset, its runs (one per partition, each opens
// in the run view) and a cancel button while it goes on. Looks again every 2 s while one is under way.
import { BACKFILL_DONE, type Backfill } from '@designer/shared';
import { useCallback, useEffect, useState } from 'react';
import './partitions.css';
import { BACKFILLS_CHANGED, cancelBackfill, listBackfills } from '../project/backfill-actions';
import { designerStore } from '../store';

const done = (b: Backfill) => BACKFILL_DONE.includes(b.status);
const statusClass = (status: string) =>
  status === 'COMPLETED_SUCCESS' || status === 'COMPLETED'
    ? 'success'
    : status.includes('FAIL')
      ? 'failure'
      : status.startsWith('CANCEL')
        ? 'canceled'
        : 'started';

function BackfillRow({ backfill }: { backfill: Backfill }) {
  const targeted = backfill.progress.reduce((n, p) => n + p.targeted, 0) || backfill.partitions.length;
  const materialized = backfill.progress.reduce((n, p) => n + p.materialized, 0);
  const failed = backfill.progress.reduce((n, p) => n + p.failed, 0);
  const share = (n: number) => `${targeted ? (n / targeted) * 100 : 0}%`;
  const range =
    backfill.partitions.length === 1
      ? backfill.partitions[0]
      : `${backfill.partitions[0]} … ${backfill.partitions[backfill.partitions.length - 1]}`;
  return (
    <li className="backfill-row" data-testid="backfill" data-status={backfill.status}>
      <div className="run-head">
        <span className={`run-status ${statusClass(backfill.status)}`}>{backfill.status}</span>
        <span className="small">
          {backfill.partitions.length} partition{backfill.partitions.length === 1 ? '' : 's'} · {range}
        </span>
        <span className="muted small">{backfill.assets.join(', ')}</span>
        <div className="spacer" />
        {!done(backfill) && backfill.status !== 'CANCELING' && (
          <button className="small danger" onClick={() => void cancelBackfill(backfill.id)}>
            Cancel backfill
          </button>
        )}
      </div>
      <div
        className="step-track"
        role="progressbar"
        aria-label="Backfill progress"
        aria-valuenow={materialized}
        aria-valuemax={targeted}
        title={`${materialized} of ${targeted} materialized, ${failed} failed`}
      >
        <div className="step-bar success" style={{ left: 0, width: share(materialized) }} />
        <div className="step-bar failure" style={{ left: share(materialized), width: share(failed) }} />
      </div>
      <div className="backfill-runs small">
        {backfill.runs.length === 0 && <span className="muted">No run yet (the daemon submits them).</span>}
        {[...backfill.runs]
          .sort((a, b) => (a.partition ?? '').localeCompare(b.partition ?? ''))
          .map((r) => (
            <button
              key={r.runId}
              className="link"
              title={`Run ${r.runId}`}
              onClick={() => designerStore.getState().setRuns({ selected: r.runId })}
            >
              <span className={`run-status ${r.status.toLowerCase()}`}>
                {r.partition ?? r.runId.slice(0, 8)}
              </span>
            </button>
          ))}
      </div>
      {backfill.error && (
        <div className="error-box" role="alert">
          {backfill.error}
        </div>
      )}
    </li>
  );
}

export function BackfillList() {
  const [backfills, setBackfills] = useState<Backfill[]>([]);
  const refresh = useCallback(
    () =>
      listBackfills().then(setBackfills, () => {
        /* the instance stopped: the list stays as it was */
      }),
    [],
  );
  useEffect(() => {
    void refresh();
    const again = () => void refresh();
    window.addEventListener(BACKFILLS_CHANGED, again);
    return () => window.removeEventListener(BACKFILLS_CHANGED, again);
  }, [refresh]);
  const going = backfills.some((b) => !done(b));
  useEffect(() => {
    if (!going) return;
    const timer = setInterval(() => void refresh(), 2000);
    return () => clearInterval(timer);
  }, [going, refresh]);
  if (backfills.length === 0) return null;
  return (
    <section className="backfills" aria-label="Backfills">
      <h3 className="small">Backfills</h3>
      <ul className="backfill-list">
        {backfills.slice(0, 5).map((b) => (
          <BackfillRow key={b.id} backfill={b} />
        ))}
      </ul>
    </section>
  );
}
