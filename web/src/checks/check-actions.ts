// Fetching asset checks' last results (GET …/asset-checks) into their own small store: once per key, and once
// more while the project's instance is still starting.
import type { AssetCheckResult } from '@designer/shared';
import { createStore } from 'zustand';
import { api } from '../api/client';

export interface CheckResultsState {
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

export const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);
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
