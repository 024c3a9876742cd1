// Asset checks' last results on the project's local instance (GET …/asset-checks), kept in a small store of their
// own: fetched once per finished run (never to start an instance: only when the preview lists checks and the
// project has runs), read by the node badges, the node panel's Checks tab and the Assets tab.
import type { AssetCheckResult } from '@designer/shared';
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { useDesignerShallow } from '../store';
import { checkResultsStore, refreshCheckResults, TERMINAL } from './check-actions';

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
