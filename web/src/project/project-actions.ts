// The open project between the store and the server: list, open, create, save (with conflict handling), rename,
// close and delete; and `reportError`, how every action shows a failed call. UI code calls these; they talk to api/.
import { ApiError, api } from '../api/client';
import { designerStore } from '../store';
import { fromProjectGraph, toProjectGraph } from '../store/graph-ops';
import { withRecordedShapes } from '../store/node-shapes';
import { watchWorkspace } from './workspace-actions';

export { ApiError };

const store = designerStore;

export function reportError(error: unknown, context?: string): void {
  const e =
    error instanceof ApiError
      ? error
      : new ApiError(0, 'unexpected', error instanceof Error ? error.message : String(error));
  store.getState().toast('error', context ? `${context}: ${e.message}` : e.message, e.hint);
}

export async function refreshProjects(): Promise<void> {
  try {
    store.getState().setProjects(await api.listProjects());
  } catch (error) {
    reportError(error, 'Could not list projects');
  }
}

export async function openProject(id: string): Promise<void> {
  try {
    const project = await api.getProject(id);
    const s = store.getState();
    const graph = fromProjectGraph(project.graph);
    // Nodes of a known size are drawn only when in view (store/node-shapes.ts).
    s.replaceGraph({ ...graph, nodes: withRecordedShapes(project.id, graph.nodes) }, project.graph.viewport);
    s.setProject(project);
    s.setDialog(null);
    window.location.hash = `#/projects/${project.id}`;
    document.title = `${project.name} · Dagster Designer`;
    void watchWorkspace(project.id);
  } catch (error) {
    reportError(error, 'Could not open the project');
  }
}

export async function createProject(name: string, description?: string): Promise<void> {
  try {
    const project = await api.createProject(name, description);
    await openProject(project.id);
    store.getState().toast('success', `Created "${project.name}". Its Dagster project is being set up.`);
  } catch (error) {
    reportError(error, 'Could not create the project');
  }
}

export function closeProject(): void {
  const s = store.getState();
  s.replaceGraph({ nodes: [], edges: [] });
  s.setProject(null);
  window.location.hash = '';
  document.title = 'Dagster Designer';
  void refreshProjects();
}

let saving: Promise<void> | null = null;

/** Saves the current graph; `overwrite` answers a conflict by saving over the newer version. */
export async function saveProject(options: { overwrite?: boolean } = {}): Promise<void> {
  if (saving) await saving;
  const s = store.getState();
  const project = s.project;
  if (!project) return;
  const viewOnly = s.changeCount === s.savedChangeCount && s.saveState === 'saved';
  if (!options.overwrite && viewOnly && s.viewChangeCount === s.savedViewChangeCount) return;
  const version = options.overwrite && s.conflictVersion ? s.conflictVersion : project.version;
  const changeCount = s.changeCount;
  const viewChangeCount = s.viewChangeCount;
  // Only the view changed (a pan, a zoom, Fit): saved without "Saving…", as nothing the user edited is at stake.
  if (!viewOnly || options.overwrite) s.setSaveState('saving');
  saving = (async () => {
    try {
      const current = store.getState().project ?? project;
      const saved = await api.saveProject(project.id, {
        version,
        graph: toProjectGraph(s, s.viewport),
        env: current.env ?? [],
        git_branch: current.git_branch,
        ...(current.git_repo ? { git_repo: current.git_repo } : {}),
      });
      const after = store.getState();
      after.setSaveState(after.changeCount === changeCount ? 'saved' : 'dirty', {
        version: saved.version,
        savedChangeCount: changeCount,
        savedViewChangeCount: viewChangeCount,
      });
      if (options.overwrite) after.setDialog(null);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        const current = (error.details as { currentVersion?: number } | undefined)?.currentVersion;
        store.getState().setSaveState('conflict', { conflictVersion: current, error: error.message });
        store.getState().setDialog('conflict');
      } else {
        store
          .getState()
          .setSaveState('error', { error: error instanceof Error ? error.message : String(error) });
        reportError(error, 'Saving failed');
      }
    } finally {
      saving = null;
    }
  })();
  await saving;
}

/** Renames the open project (its package and folders keep their names). */
export async function renameProject(name: string): Promise<void> {
  const s = store.getState();
  const project = s.project;
  if (!project || !name.trim() || name.trim() === project.name) return;
  try {
    await saveProject();
    const current = store.getState().project!;
    const renamed = await api.renameProject(project.id, name.trim(), current.version);
    store.getState().renameProjectLocal(renamed.name, renamed.version);
    document.title = `${renamed.name} · Dagster Designer`;
  } catch (error) {
    reportError(error, 'Rename failed');
  }
}

/** Deletes a project for good: its file, its Dagster project and its history. */
export function deleteProject(id: string): Promise<void> {
  return api.deleteProject(id);
}
