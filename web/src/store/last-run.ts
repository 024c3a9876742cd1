// A node's last run: the newest run that selected or materialized one of its assets. Dagster's step keys are op
// names (a script's file stem and a hash, a dbt project's op), not node names, so the match goes by asset key.
import type { Run } from '@designer/shared';

export interface NodeRun {
  status: 'SUCCESS' | 'FAILURE' | 'CANCELED' | 'RUNNING';
  /** Seconds since the epoch when the node's part ended (or the run did), if it has. */
  at: number | null;
  runId: string;
}

const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);

/** `history` is newest first, as the runs API answers it. */
export function lastRunOf(history: readonly Run[], keys: readonly string[], label: string): NodeRun | null {
  if (keys.length === 0) return null;
  const own = new Set(keys);
  for (const run of history) {
    const materialized = run.materializations.filter((m) => own.has(m.asset));
    // A run of everything has no selection of its own: it ran this node's assets too.
    const selected = run.assets.length === 0 || run.assets.some((a) => own.has(a));
    const step = run.steps.find(
      (st) => st.stepKey === label || materialized.some((m) => m.stepKey === st.stepKey),
    );
    if (!selected && materialized.length === 0 && !step) continue;
    const done = materialized.length > 0 && keys.every((k) => materialized.some((m) => m.asset === k));
    const status: NodeRun['status'] =
      step?.status === 'FAILURE'
        ? 'FAILURE'
        : done || step?.status === 'SUCCESS'
          ? 'SUCCESS'
          : !TERMINAL.has(run.status)
            ? 'RUNNING'
            : run.status === 'SUCCESS'
              ? 'SUCCESS'
              : (run.status as NodeRun['status']);
    const at =
      step?.endTime ??
      (materialized.length > 0 ? Number(materialized[materialized.length - 1]!.timestamp) / 1000 : null) ??
      run.endTime;
    return { status, at: status === 'RUNNING' ? null : (at ?? run.endTime), runId: run.runId };
  }
  return null;
}
