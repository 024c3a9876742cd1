// Which deployment the designer looks at ("Local" = the project's own instance, or one of the project's
// deployments) and what it knows of it: the state of the project's assets there, its runs, the last reload.
// Separate from the designer's store: polling a deployment never touches what the canvas subscribes to.
import {
  declaredAssetKeys,
  type ConnectionTest,
  type Deployment,
  type DeploymentAssets,
  type DeploymentInput,
  type DeploymentReload,
  type Run,
  type RunEvent,
} from '@designer/shared';
import { create } from 'zustand';
import { deploymentsApi } from '../api/deployments';
import { reportError, saveProject } from '../project/project-actions';
import { designerStore } from '../store';

export interface DeploymentState {
  projectId: string | null;
  list: Deployment[];
  /** null: Local (the project's own instance). */
  selectedId: string | null;
  state: DeploymentAssets | null;
  stateError: string | null;
  loadingState: boolean;
  runs: { history: Run[]; selected: string | null; loading: boolean; error: string | null };
  reload: { running: boolean; result: DeploymentReload | null };
  launching: boolean;
  /** The Deployments dialog is open. */
  dialogOpen: boolean;
}

const initial = (): Omit<DeploymentState, 'projectId' | 'list' | 'selectedId' | 'dialogOpen'> => ({
  state: null,
  stateError: null,
  loadingState: false,
  runs: { history: [], selected: null, loading: false, error: null },
  reload: { running: false, result: null },
  launching: false,
});

export const useDeployments = create<DeploymentState>(() => ({
  projectId: null,
  list: [],
  selectedId: null,
  dialogOpen: false,
  ...initial(),
}));

export const openDeploymentsDialog = (open = true) => useDeployments.setState({ dialogOpen: open });

const get = () => useDeployments.getState();
const set = useDeployments.setState;
const storageKey = (projectId: string) => `designer-deployment-${projectId}`;
const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);

/** The selected deployment, or undefined for Local. */
export function selectedDeployment(): Deployment | undefined {
  const { list, selectedId } = get();
  return list.find((d) => d.id === selectedId);
}

/** The asset keys the designer knows for the project: the last preview's, else the ones nodes declare. */
function projectKeys(nodeIds?: readonly string[]): string[] {
  const s = designerStore.getState();
  const wanted = nodeIds ? new Set(nodeIds) : null;
  const fromPreview = s.preview.assets.filter((a) => !wanted || (a.nodeId && wanted.has(a.nodeId)));
  const keys = new Set(fromPreview.map((a) => a.key));
  for (const node of s.nodes) {
    if (wanted && !wanted.has(node.id)) continue;
    if (!s.preview.assets.some((a) => a.nodeId === node.id))
      for (const k of declaredAssetKeys(node) ?? []) keys.add(k);
  }
  return [...keys].sort();
}

/** Loads the project's deployments (on opening a project, after the dialog changed them). */
export async function loadDeployments(projectId: string): Promise<void> {
  try {
    const list = await deploymentsApi.list(projectId);
    if (designerStore.getState().project?.id !== projectId) return;
    const remembered = window.localStorage?.getItem(storageKey(projectId)) ?? null;
    const keep = get().selectedId ?? remembered;
    const selectedId = list.some((d) => d.id === keep) ? keep : null;
    const changed = selectedId !== get().selectedId || get().projectId !== projectId;
    set({ projectId, list, selectedId, ...(changed ? initial() : {}) });
    if (changed && selectedId) void refreshDeployment();
  } catch (error) {
    reportError(error, 'Could not list the deployments');
  }
}

export function selectDeployment(id: string | null): void {
  const projectId = get().projectId;
  if (!projectId) return;
  if (id === null) window.localStorage?.removeItem(storageKey(projectId));
  else window.localStorage?.setItem(storageKey(projectId), id);
  set({ selectedId: id, ...initial() });
  if (id) void refreshDeployment();
}

/** The deployment's state of the project's assets and its runs, now. */
export async function refreshDeployment(): Promise<void> {
  await Promise.all([refreshDeploymentState(), refreshDeploymentRuns()]);
}

export async function refreshDeploymentState(): Promise<void> {
  const { projectId, selectedId } = get();
  if (!projectId || !selectedId) return;
  set({ loadingState: true });
  try {
    const state = await deploymentsApi.assets(projectId, selectedId, projectKeys());
    if (get().selectedId === selectedId) set({ state, stateError: null, loadingState: false });
  } catch (error) {
    if (get().selectedId === selectedId) set({ stateError: (error as Error).message, loadingState: false });
  }
}

export async function refreshDeploymentRuns(): Promise<void> {
  const { projectId, selectedId } = get();
  if (!projectId || !selectedId) return;
  set((s) => ({ runs: { ...s.runs, loading: true } }));
  try {
    const { runs } = await deploymentsApi.runs(projectId, selectedId);
    if (get().selectedId === selectedId)
      set((s) => ({ runs: { ...s.runs, history: runs, loading: false, error: null } }));
  } catch (error) {
    if (get().selectedId === selectedId)
      set((s) => ({ runs: { ...s.runs, loading: false, error: (error as Error).message } }));
  }
}

export function selectDeploymentRun(runId: string | null): void {
  set((s) => ({ runs: { ...s.runs, selected: runId } }));
}

/** Runs the selected components' assets (or every asset of the project's location) on the deployment. */
export async function runOnDeployment(runConfig?: Record<string, unknown>): Promise<boolean> {
  const deployment = selectedDeployment();
  const projectId = get().projectId;
  if (!deployment || !projectId) return false;
  const selected = designerStore
    .getState()
    .nodes.filter((n) => n.selected)
    .map((n) => n.id);
  set({ launching: true });
  try {
    await saveProject();
    const assets = selected.length ? projectKeys(selected) : [];
    const { run, code } = await deploymentsApi.launch(projectId, deployment.id, {
      ...(assets.length ? { assets } : {}),
      ...(runConfig ? { runConfig } : {}),
    });
    set((s) => ({ runs: { ...s.runs, selected: run.runId, history: [run, ...s.runs.history] } }));
    designerStore.getState().setDrawer('runs', true);
    designerStore
      .getState()
      .toast(
        'info',
        `Run ${run.runId.slice(0, 8)} launched on ${deployment.name}.`,
        code.status === 'current' ? undefined : code.message,
      );
    void refreshDeployment();
    return true;
  } catch (error) {
    reportError(error, `The run did not start on ${deployment.name}`);
    return false;
  } finally {
    set({ launching: false });
  }
}

/** Reloads the deployment's code location (after a push); its load error lands on the node that caused it. */
export async function reloadDeploymentNow(): Promise<void> {
  const deployment = selectedDeployment();
  const projectId = get().projectId;
  if (!deployment || !projectId) {
    designerStore
      .getState()
      .toast('error', 'Pick a deployment in the top bar first: Local reloads by itself after each save.');
    return;
  }
  set((s) => ({ reload: { ...s.reload, running: true } }));
  try {
    const result = await deploymentsApi.reload(projectId, deployment.id);
    set({ reload: { running: false, result } });
    const errors = result.problems.length;
    designerStore
      .getState()
      .toast(
        errors || result.location.status === 'error' ? 'error' : 'info',
        errors || result.location.status === 'error'
          ? `${deployment.name}: "${result.location.name}" failed to load${errors ? ` (${errors} problem${errors > 1 ? 's' : ''} on nodes)` : ''}.`
          : `${deployment.name}: "${result.location.name}" reloaded in ${(result.durationMs / 1000).toFixed(1)} s.`,
        result.code.status === 'current' ? undefined : result.code.message,
      );
    void refreshDeployment();
  } catch (error) {
    set((s) => ({ reload: { ...s.reload, running: false } }));
    reportError(error, `Reload of ${deployment.name} failed`);
  }
}

/** How the Runs tab reads a run of the deployment: status, logs (polled after a cursor) and cancel. */
export const deploymentRunSource = {
  run: (runId: string): Promise<Run> => {
    const { projectId, selectedId } = get();
    return deploymentsApi.run(projectId!, selectedId!, runId);
  },
  streamEvents(runId: string, onEvent: (e: RunEvent) => void, onEnd: (status: string) => void): () => void {
    const { projectId, selectedId } = get();
    let live = true;
    let cursor: string | null = null;
    const poll = async () => {
      try {
        const page = await deploymentsApi.logs(projectId!, selectedId!, runId, cursor);
        if (!live) return;
        page.events.forEach(onEvent);
        cursor = page.cursor ?? cursor;
        if (page.hasMore) return void poll();
        const run = await deploymentsApi.run(projectId!, selectedId!, runId);
        if (TERMINAL.has(run.status)) {
          // A last page: events written between the two requests.
          const last = await deploymentsApi.logs(projectId!, selectedId!, runId, cursor);
          if (live) last.events.forEach(onEvent);
          return onEnd(run.status);
        }
      } catch {
        // the next poll tries again (a deployment that blinked); the run view shows the status error
      }
      if (live) setTimeout(() => void poll(), 1000);
    };
    void poll();
    return () => {
      live = false;
    };
  },
  cancel: (runId: string) => {
    const { projectId, selectedId } = get();
    return deploymentsApi.cancel(projectId!, selectedId!, runId);
  },
  refresh: () => refreshDeploymentRuns(),
};

/** Adds a deployment (no `id`) or changes one; a token kept in memory is sent after, once. */
export async function saveDeployment(
  projectId: string,
  id: string | null,
  input: DeploymentInput,
  token?: string,
): Promise<Deployment> {
  const saved = id
    ? await deploymentsApi.update(projectId, id, input)
    : await deploymentsApi.create(projectId, input);
  return token ? deploymentsApi.setToken(projectId, saved.id, token) : saved;
}

/** Tries the deployment's connection and says what answered (or why nothing did). */
export const testDeployment = (projectId: string, id: string): Promise<ConnectionTest> =>
  deploymentsApi.test(projectId, id);

/** Removes the deployment from the project (nothing changes on the deployment itself); the list is read again. */
export async function removeDeployment(projectId: string, id: string): Promise<void> {
  await deploymentsApi.remove(projectId, id);
  if (useDeployments.getState().selectedId === id) selectDeployment(null);
  await loadDeployments(projectId);
}

// A project opened (or closed): its deployments, and the one last looked at.
designerStore.subscribe((s, previous) => {
  const id = s.project?.id ?? null;
  if (id === (previous.project?.id ?? null)) return;
  set({ projectId: id, list: [], selectedId: null, ...initial() });
  if (id) void loadDeployments(id);
});
