// Asset checks' last results on the project's local instance (GET …/asset-checks), kept in a small store of their
// own: fetched once per finished run (never to start an instance: only when the preview lists checks and the
// project has runs), read by the node badges, the node panel's Checks tab and the Assets tab.
import type { AssetCheckResult } from '@designer/shared';
import { useEffect } from 'react';
import { createStore, useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { api } from '../api/client';
import { useDesignerShallow } from '../store';

interface CheckResultsState {
  /** What the results were fetched for: `<project>|<newest finished run>`. */
  key: string | null;
  results: AssetCheckResult[];
  /** The instance is starting: ask again shortly. */
  pending: boolean;
  error: string | null;
}

export const checkResultsStore = createStore<CheckResultsState>()(() => ({
  key: null,
  results: [],
  pending: false,
  error: null,
}));

const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);
const RETRY_MS = 3000;
let inFlight: string | null = null;
let retry: ReturnType<typeof setTimeout> | null = null;

/** Fetches the results for `key` unless they are fetched already; asks again, once, while the instance starts. */
export async function refreshCheckResults(projectId: string, key: string, force = false): Promise<void> {
  const state = checkResultsStore.getState();
  if (inFlight === key || (!force && state.key === key)) return;
  inFlight = key;
  try {
    const answer = await api.assetChecks(projectId);
    const pending = answer.instance !== 'ready' && answer.instance !== 'failed';
    checkResultsStore.setState({ key, results: answer.checks, pending, error: null });
    if (pending && !retry)
      retry = setTimeout(() => {
        retry = null;
        if (checkResultsStore.getState().key === key) void refreshCheckResults(projectId, key, true);
      }, RETRY_MS);
  } catch (e) {
    checkResultsStore.setState({ key, error: e instanceof Error ? e.message : String(e), pending: false });
  } finally {
    if (inFlight === key) inFlight = null;
  }
}

/**
 * Keeps the results current: once per finished run, only for a project whose last preview lists checks and that
 * has runs. Any component showing results calls it; the store fetches once per run.
 */
export function useCheckResultsRefresh(): void {
  const { projectId, hasChecks, newest } = useDesignerShallow((s) => ({
    projectId: s.project?.id,
    hasChecks: (s.preview.definitions?.checks.length ?? 0) > 0,
    newest: s.runs.history.find((r) => TERMINAL.has(r.status))?.runId ?? null,
  }));
  useEffect(() => {
    if (projectId && hasChecks && newest) void refreshCheckResults(projectId, `${projectId}|${newest}`);
  }, [projectId, hasChecks, newest]);
}

/**
 * A node's checks: the last preview's (each carries its node) with their last result when there is one; results
 * the server could place on a node (declared keys) count too.
 */
export function useNodeChecks(nodeId: string): AssetCheckResult[] {
  useCheckResultsRefresh();
  const declared = useDesignerShallow(
    (s) => s.preview.definitions?.checks.filter((c) => c.nodeId === nodeId) ?? [],
  );
  const results = useStore(
    checkResultsStore,
    useShallow((s) => s.results),
  );
  return checksWithResults(nodeId, declared, results);
}

export function checksWithResults(
  nodeId: string,
  declared: ReadonlyArray<{
    key: string;
    asset: string;
    name: string;
    blocking: boolean;
    description?: string;
  }>,
  results: readonly AssetCheckResult[],
): AssetCheckResult[] {
  const byKey = new Map(results.map((r) => [r.key, r]));
  const out: AssetCheckResult[] = declared.map(
    (c) =>
      byKey.get(c.key) ?? {
        key: c.key,
        asset: c.asset,
        name: c.name,
        blocking: c.blocking,
        ...(c.description ? { description: c.description } : {}),
        status: 'not_run' as const,
      },
  );
  for (const r of results) if (r.nodeId === nodeId && !out.some((o) => o.key === r.key)) out.push(r);
  return out;
}

/** Every result, by check key (the Assets tab). */
export const useCheckResults = () => {
  useCheckResultsRefresh();
  return useStore(
    checkResultsStore,
    useShallow((s) => s.results),
  );
};
