// Runs on the project's local Dagster instance: launch, history, one run, its live events, cancel, and the
// launchpad's config schema.
import type { Run, RunEvent } from '@designer/shared';
import { ApiError, api } from '../api/client';
import { designerStore } from '../store';
import { reportError, saveProject } from './project-actions';

const store = designerStore;

let runsTimer = 0;

/** The run history; while the instance starts or a run is launching, it is asked again every second. */
export async function refreshRuns(): Promise<void> {
  const project = store.getState().project;
  if (!project || store.getState().workspace?.status !== 'ready') return;
  clearTimeout(runsTimer);
  store.getState().setRuns({ loading: true });
  try {
    const { runs, instance } = await api.runs(project.id);
    if (store.getState().project?.id !== project.id) return;
    store.getState().setRuns({ history: runs, instance, loading: false });
    if (instance.status === 'starting' || runs.some((r) => r.status === 'LAUNCHING'))
      runsTimer = window.setTimeout(() => void refreshRuns(), 1000);
  } catch (error) {
    store.getState().setRuns({ loading: false });
    reportError(error, 'Could not read the run history');
  }
}

/** The ids of the selected components; [] = every asset. The server resolves their keys after its sync. */
export function selectedNodes(): string[] {
  return store
    .getState()
    .nodes.filter((n) => n.selected)
    .map((n) => n.id);
}

/**
 * Runs the selected components' assets, or every asset when nothing is selected. The graph as the user sees it
 * is saved first (a pending autosave is flushed), and the server syncs before it resolves the components' keys.
 */
export async function runAssets(
  options: { runConfig?: Record<string, unknown>; env?: Record<string, string> } = {},
): Promise<boolean> {
  const s = store.getState();
  const project = s.project;
  if (!project || s.workspace?.status !== 'ready') return false;
  const nodes = selectedNodes();
  try {
    await saveProject();
    if (store.getState().saveState === 'conflict')
      throw new ApiError(409, 'conflict', 'Resolve the save conflict first.');
    const { runId } = await api.launchRun(project.id, nodes, options);
    store.getState().setRuns({ selected: runId });
    store.getState().setDrawer('runs', true);
    await refreshRuns();
    return true;
  } catch (error) {
    reportError(error, 'The run did not start');
    return false;
  }
}

/** The run configuration the selected assets take (an empty schema when none does). */
export function runConfigSchema(projectId: string, nodes: string[]) {
  return api.runConfigSchema(projectId, nodes);
}

/** One run, as the server knows it now. */
export function readRun(runId: string) {
  return api.run(runId);
}

/** Live log events of a run; returns a function that stops listening. */
export function streamRunEvents(
  runId: string,
  onEvent: (e: RunEvent) => void,
  onEnd: (status: string) => void,
): () => void {
  return api.streamRunEvents(runId, onEvent, onEnd);
}

/** Asks Dagster to cancel a run. */
export function cancelRun(runId: string) {
  return api.cancelRun(runId);
}

const FINISHED = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);

/** The run "Cancel run" means: the one the Runs tab shows when it is still going, else the newest one going. */
export function runToCancel(runs: { history: Run[]; selected: string | null }): Run | null {
  const shown = runs.history.find((r) => r.runId === runs.selected);
  if (shown) return FINISHED.has(shown.status) ? null : shown;
  return runs.history.find((r) => !FINISHED.has(r.status)) ?? null;
}
