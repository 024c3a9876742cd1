// The Run dialog's backfill, for a partitioned selection: one partition, a range (both ends included), or the
// missing ones (within the range when one is given), launched as a real backfill on the local instance.
import type { AssetPartitionStatus, BackfillRequest } from '@designer/shared';
import { useEffect, useMemo, useState } from 'react';
import './partitions.css';
import { ApiError } from '../project/project-actions';
import { launchBackfill, selectionPartitions } from '../project/backfill-actions';
import { Segmented } from './Segmented';

type Mode = 'one' | 'range' | 'missing';

/** The request the form stands for. */
export function backfillRequestOf(
  nodes: string[],
  mode: Mode,
  from: string,
  to: string,
  missingInRange: boolean,
): BackfillRequest {
  const selection = nodes.length ? { nodes } : {};
  if (mode === 'one') return { ...selection, partition: from };
  if (mode === 'range')
    return {
      ...selection,
      range: { start: from, end: to },
      ...(missingInRange ? { missingOnly: true } : {}),
    };
  return { ...selection, missingOnly: true };
}

export function BackfillSection({ nodes, onLaunched }: { nodes: string[]; onLaunched: () => void }) {
  const [assets, setAssets] = useState<AssetPartitionStatus[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>('range');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [missingInRange, setMissingInRange] = useState(false);
  const [busy, setBusy] = useState(false);

  const [asking, setAsking] = useState(true);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = (attempt: number) =>
      selectionPartitions(nodes).then(
        (answer) => {
          if (!live) return;
          setAsking(false);
          show(answer);
        },
        (e: Error) => {
          if (!live) return;
          // The workspace still being made (409), the instance still starting or too slow once: ask again every
          // 3 s for up to 3 minutes (a new project's workspace can take a minute or two on a busy machine).
          const status = e instanceof ApiError ? e.status : 0;
          const notYet = e instanceof ApiError && e.code === 'workspace_creating';
          if (attempt < 60 && (status === 0 || notYet || status >= 500)) {
            timer = setTimeout(() => void ask(attempt + 1), 3000);
            return;
          }
          setAsking(false);
          setError(e.message);
        },
      );
    const show = (answer: Awaited<ReturnType<typeof selectionPartitions>>) => {
      setAssets(answer.assets);
      const first = answer.assets[0];
      const keys = first?.partitions?.map((p) => p.key) ?? [];
      // Time partitions: the last two by default; a static set: all of it.
      const last = first?.last ?? keys[keys.length - 1] ?? '';
      const start = first?.type === 'TIME_WINDOW' ? (keys[keys.length - 2] ?? last) : (first?.first ?? last);
      setFrom(start);
      setTo(last);
    };
    void ask(1);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [nodes]);

  const keys = useMemo(() => assets?.[0]?.partitions?.map((p) => p.key) ?? [], [assets]);
  const count = useMemo(() => {
    if (mode === 'one') return 1;
    const i = keys.indexOf(from);
    const j = keys.indexOf(to);
    return mode === 'range' && i >= 0 && j >= i ? j - i + 1 : null;
  }, [keys, from, to, mode]);

  if (error)
    return (
      <div className="error-box" role="alert">
        Partitions: {error}
      </div>
    );
  if (asking)
    return (
      <p className="muted" role="status" data-testid="backfill-asking">
        Checking whether the selection is partitioned (the local instance loads the definitions)…
      </p>
    );
  if (!assets || assets.length === 0) return null; // not partitioned: a plain run
  const first = assets[0]!;
  const missing = assets.reduce((n, a) => Math.max(n, a.counts.missing + a.counts.failed), 0);
  const launch = async () => {
    setBusy(true);
    const done = await launchBackfill(backfillRequestOf(nodes, mode, from, to, missingInRange));
    setBusy(false);
    if (done) onLaunched();
  };
  const keyField = (label: string, value: string, set: (v: string) => void) => (
    <label className="field">
      <span>{label}</span>
      <input
        aria-label={label}
        className="mono"
        list="backfill-partition-keys"
        value={value}
        onChange={(e) => set(e.target.value.trim())}
      />
    </label>
  );

  return (
    <section className="backfill" aria-label="Backfill" data-testid="backfill-section">
      <h3>Backfill partitions</h3>
      <p className="muted small">
        {assets.length === 1 ? assets[0]!.key : `${assets.length} assets`}: {first.description}{' '}
        {first.counts.total} partitions ({first.first} … {first.last}); {first.counts.materialized}{' '}
        materialized, {first.counts.failed} failed, {first.counts.missing} missing.
      </p>
      <Segmented
        label="Backfill what"
        options={[
          ['one', 'One partition'],
          ['range', 'A range'],
          ['missing', 'Missing only'],
        ]}
        value={mode}
        onChange={setMode}
      />
      <datalist id="backfill-partition-keys">
        {keys.slice(-400).map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      {mode === 'one' && keyField('Partition', from, setFrom)}
      {mode === 'range' && (
        <div className="backfill-range">
          {keyField('From partition', from, setFrom)}
          {keyField('To partition', to, setTo)}
          <label className="radio-row">
            <input
              type="checkbox"
              checked={missingInRange}
              onChange={(e) => setMissingInRange(e.target.checked)}
            />
            <span>Only the missing ones in it</span>
          </label>
        </div>
      )}
      {mode === 'missing' && (
        <p className="small">Every partition not materialized yet (or failed): {missing}.</p>
      )}
      <p className="muted small">
        Launch run (below) runs these assets without a partition: Dagster records that materialization under
        no partition, so the partition status above does not change.
      </p>
      <div className="actions">
        <button
          className="primary"
          disabled={busy || (mode !== 'missing' && (!from || (mode === 'range' && !to)))}
          onClick={() => void launch()}
        >
          {busy
            ? 'Launching…'
            : mode === 'missing'
              ? 'Backfill missing partitions'
              : `Launch backfill${count ? ` (${count} partition${count === 1 ? '' : 's'})` : ''}`}
        </button>
      </div>
    </section>
  );
}
