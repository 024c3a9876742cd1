// The Assets tab's line under a partitioned asset: its partitions (from the preview) and their status on the local
// instance (materialized / failed / in progress / missing, and a strip of each partition when there are few).
// One poller for every row, running while a row is shown.
import type { Asset, AssetPartitionStatus } from '@designer/shared';
import { useSyncExternalStore } from 'react';
import './partitions.css';
import { BACKFILLS_CHANGED, partitionStatus } from '../project/backfill-actions';

const POLL_MS = 5000;
let statuses = new Map<string, AssetPartitionStatus>();
let instance = 'stopped';
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

async function poll(): Promise<void> {
  try {
    const answer = await partitionStatus();
    if (!answer) return;
    instance = answer.instance;
    if (answer.instance === 'ready') statuses = new Map(answer.assets.map((a) => [a.key, a]));
  } catch {
    return; // the instance stopped or restarts: the last status stays until it answers again
  }
  for (const l of listeners) l();
}
const again = () => void poll();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) {
    void poll();
    timer = setInterval(again, POLL_MS);
    window.addEventListener(BACKFILLS_CHANGED, again);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      window.removeEventListener(BACKFILLS_CHANGED, again);
    }
  };
}
const snapshot = () => statuses;

export function AssetPartitionsRow({ asset, columns }: { asset: Asset; columns: number }) {
  const all = useSyncExternalStore(subscribe, snapshot);
  if (!asset.partitions) return null;
  const status = all.get(asset.key);
  const c = status?.counts;
  return (
    <tr className="asset-partition-row" data-testid={`partitions-${asset.key}`}>
      <td colSpan={columns} className="small">
        <span className="muted">
          ▦ {asset.partitions.description} {asset.partitions.count} partitions
          {asset.partitions.first ? ` (${asset.partitions.first} … ${asset.partitions.last})` : ''}
        </span>
        {c ? (
          <span data-testid="partition-status">
            {' '}
            · <span className="run-status success">{c.materialized} materialized</span>
            {c.inProgress > 0 && <span className="run-status started"> · {c.inProgress} in progress</span>}
            {c.failed > 0 && <span className="run-status failure"> · {c.failed} failed</span>} · {c.missing}{' '}
            missing
          </span>
        ) : (
          <span className="muted">
            {' '}
            ·{' '}
            {instance === 'ready' ? 'no status yet' : 'status once the local instance runs (Run or backfill)'}
          </span>
        )}
        {status?.partitions && (
          <div className="partition-strip" aria-label={`Partitions of ${asset.key}`}>
            {status.partitions.slice(-120).map((p) => (
              <span
                key={p.key}
                className={`partition-cell ${p.state}`}
                title={`${p.key}: ${p.state.replace('_', ' ')}`}
              />
            ))}
          </div>
        )}
      </td>
    </tr>
  );
}
