// What happens between the store and the server: open, create, save (with conflict handling),
// workspace progress and the component catalog. UI code calls these; they talk to api/ only.
import type {
  ComponentSchema,
  ComponentSummary,
  PreviewResult as SharedPreviewResult,
} from '@designer/shared';
import { ApiError, api } from '../api/client';
import { designerStore } from '../store';
import { fromProjectGraph, toProjectGraph } from '../store/graph-ops';
import { afterCheck, explainProblems } from '../store/problem-words';
import { rememberImportProblems } from './import-problems';

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
    s.replaceGraph(fromProjectGraph(project.graph), project.graph.viewport);
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
  if (!options.overwrite && s.changeCount === s.savedChangeCount && s.saveState === 'saved') return;
  const version = options.overwrite && s.conflictVersion ? s.conflictVersion : project.version;
  const changeCount = s.changeCount;
  s.setSaveState('saving');
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

let watched: string | null = null;

/** Polls the workspace state until it is ready or failed; then loads the project's own catalog. */
export async function watchWorkspace(id: string): Promise<void> {
  watched = id;
  let wasCreating = false;
  for (;;) {
    if (watched !== id || store.getState().project?.id !== id) return;
    try {
      const ws = await api.workspace(id);
      store.getState().setWorkspace(ws);
      // The project's own components (a DuckDB connection, imported ones) join the palette once it is ready,
      // and nodes added while it was being created get their files (starter script, SQL) and assets.
      if (ws.status === 'ready') {
        void loadCatalog();
        // Schemas asked for while it was being created (its own components, a template's DuckDB connection) failed:
        // forgetting the failures makes the node validation ask again, now that the project can answer.
        const schemas = store.getState().schemas;
        if (Object.values(schemas).some((e) => e !== 'loading' && 'error' in e))
          store.setState({
            schemas: Object.fromEntries(
              Object.entries(schemas).filter(([, e]) => e === 'loading' || !('error' in e)),
            ),
          });
        if (wasCreating && store.getState().nodes.length > 0) void previewAssets({ quiet: true });
      }
      wasCreating = ws.status === 'creating';
      if (ws.status !== 'creating') {
        if (ws.status === 'error')
          store
            .getState()
            .toast('error', `Creating the Dagster project failed: ${ws.message ?? ''}`, ws.hint);
        return;
      }
    } catch (error) {
      reportError(error, 'Workspace status');
      return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function retryWorkspace(): Promise<void> {
  const project = store.getState().project;
  if (!project) return;
  try {
    store.getState().setWorkspace(await api.retryWorkspace(project.id));
    void watchWorkspace(project.id);
  } catch (error) {
    reportError(error, 'Could not create the Dagster project');
  }
}

/**
 * The palette's catalog: every installable component (the shared catalog environment), plus the open project's
 * own components (`<package>.components.…`, listed in its workspace) once its Dagster project is ready.
 */
export async function loadCatalog(attempt = 0): Promise<void> {
  try {
    const catalog = await api.components();
    const project = store.getState().project;
    store.getState().setCatalog(mergeCatalogs(catalog.components, projectComponents.get(project?.id ?? '')));
    if (project && store.getState().workspace?.status === 'ready') {
      const own = await api.components(project.id).then(
        (c) => c.components,
        () => null,
      );
      if (own && store.getState().project?.id === project.id) {
        projectComponents.set(project.id, own);
        store.getState().setCatalog(mergeCatalogs(catalog.components, own));
      }
    }
  } catch (error) {
    const e = error instanceof ApiError ? error : null;
    // The catalog environment is prepared in the background on first start: keep asking while it is.
    if (e && e.status === 503 && e.code === 'catalog_preparing' && attempt < 600) {
      store.getState().setCatalog(null, e.message);
      setTimeout(() => void loadCatalog(attempt + 1), 2000);
      return;
    }
    store.getState().setCatalog(null, e ? `${e.message}${e.hint ? ` ${e.hint}` : ''}` : String(error));
  }
}

const projectComponents = new Map<string, ComponentSummary[]>();

/** The shared catalog with the project's components that it does not have (its own, or newer libraries). */
export function mergeCatalogs(
  shared: ComponentSummary[],
  own: ComponentSummary[] | undefined,
): ComponentSummary[] {
  if (!own) return shared;
  const known = new Set(shared.map((c) => c.type));
  return [...shared, ...own.filter((c) => !known.has(c.type))];
}

const schemaRequests = new Map<string, Promise<ComponentSchema | null>>();

export function loadSchema(type: string): Promise<ComponentSchema | null> {
  const known = store.getState().schemas[type];
  if (known && known !== 'loading' && !('error' in known)) return Promise.resolve(known);
  let pending = schemaRequests.get(type);
  if (!pending) {
    store.getState().setSchema(type, 'loading');
    // The project's own components (<package>.components.…) exist only in its environment.
    const project = store.getState().project;
    const own = project && type.startsWith(`${project.package_name}.`) ? project.id : undefined;
    pending = api.componentSchema(type, own).then(
      (schema) => {
        store.getState().setSchema(type, schema);
        return schema;
      },
      (error: unknown) => {
        store.getState().setSchema(type, { error: error instanceof Error ? error.message : String(error) });
        schemaRequests.delete(type);
        return null;
      },
    );
    schemaRequests.set(type, pending);
  }
  return pending;
}

/** Saves, syncs the Dagster project and loads its real definitions: the asset graph and its problems. */
/** Saves, syncs and loads the real definitions; `quiet` keeps the drawer on its tab (after a file save). */
export async function previewAssets(options: { quiet?: boolean } = {}): Promise<void> {
  const s = store.getState();
  const project = s.project;
  if (!project) return;
  if (s.preview.status === 'running') {
    // One preview at a time; a file saved meanwhile is previewed right after.
    if (options.quiet) pendingPreview = true;
    return;
  }
  if (s.workspace?.status !== 'ready') {
    s.toast(
      'info',
      'The Dagster project is not ready yet.',
      s.workspace?.step ?? 'Wait until the top bar says "Dagster project ready".',
    );
    return;
  }
  s.setPreview({ status: 'running', error: undefined });
  if (!options.quiet) s.setDrawer('assets', true);
  try {
    await saveProject();
    if (store.getState().saveState === 'conflict')
      throw new ApiError(409, 'conflict', 'Resolve the save conflict first.');
    const result = await api.preview(project.id);
    // Older servers answer assets only; the other definitions then show as none.
    const defs = result as Partial<SharedPreviewResult>;
    store.getState().setPreview({
      status: 'done',
      assets: result.assets,
      definitions: {
        checks: defs.checks ?? [],
        jobs: defs.jobs ?? [],
        schedules: defs.schedules ?? [],
        sensors: defs.sensors ?? [],
        resources: defs.resources ?? [],
      },
      problems: explainProblems(result.problems, store.getState().nodes, result.assets),
      durationMs: result.durationMs,
      inspectMs: result.inspectMs,
      warm: result.warm,
      partial: defs.partial
        ? new Set(
            result.problems.filter((p) => p.severity === 'error').map((p) => p.nodeId ?? p.file ?? p.message),
          ).size
        : undefined,
      at: new Date().toISOString(),
    });
    const errors = result.problems.filter((p) => p.severity === 'error').length;
    if (errors > 0 && !options.quiet) store.getState().setDrawer('problems', true);
    // A project that loads is likely to be run: start its Dagster instance now, so the first run is warm.
    if (errors === 0) void api.warmInstance(project.id).catch(() => undefined);
  } catch (error) {
    store
      .getState()
      .setPreview({ status: 'error', error: error instanceof Error ? error.message : String(error) });
    reportError(error, 'Preview failed');
  }
  if (pendingPreview) {
    pendingPreview = false;
    await previewAssets({ quiet: true });
  }
}
let pendingPreview = false;

/** `dg check defs` on the saved project: loads every definition as Dagster would. */
export async function checkDefinitions(): Promise<void> {
  const s = store.getState();
  const project = s.project;
  if (!project || s.workspace?.status !== 'ready') return;
  s.toast('info', 'Running dg check defs…');
  try {
    await saveProject();
    const result = await api.checkDefs(project.id);
    const after = store.getState();
    const checked = explainProblems(result.problems, after.nodes, after.preview.assets);
    after.setPreview({ problems: afterCheck(checked, after.preview.problems) });
    if (result.ok)
      after.toast('success', `dg check defs passed in ${(result.durationMs / 1000).toFixed(1)} s.`);
    else {
      after.toast(
        'error',
        `dg check defs found ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}.`,
      );
      after.setDrawer('problems', true);
    }
  } catch (error) {
    reportError(error, 'dg check defs failed');
  }
}

/** Saves, then downloads `<package>.zip`: the runnable project (uv sync && dg dev). */
export async function exportZip(): Promise<void> {
  const s = store.getState();
  const project = s.project;
  if (!project) return;
  if (s.workspace?.status !== 'ready') {
    s.toast('info', 'The Dagster project is not ready yet.');
    return;
  }
  try {
    await saveProject();
    s.setExportProgress(0);
    const { blob, filename, problems } = await api.downloadZip(project.id, (bytes) =>
      store.getState().setExportProgress(bytes),
    );
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    store
      .getState()
      .toast(
        problems > 0 ? 'error' : 'success',
        problems > 0
          ? `Exported ${filename} with ${problems} problem${problems === 1 ? '' : 's'} still open.`
          : `Exported ${filename} (${(blob.size / 1024).toFixed(0)} KiB).`,
        problems > 0
          ? 'See the Problems tab: the project may not load until they are fixed.'
          : 'Unzip it, then `uv sync && uv run dg dev`.',
      );
  } catch (error) {
    reportError(error, 'Export failed');
  } finally {
    store.getState().setExportProgress(null);
  }
}

export type ImportChoice =
  | { source: 'folder'; path: string }
  | { source: 'git'; remote: string; branch?: string; token?: string }
  | { source: 'zip'; file: File };

/** Creates a project and imports an existing Dagster project into it; on failure nothing is left behind. */
export async function importProject(
  name: string,
  choice: ImportChoice,
  onStep: (step: string) => void = () => undefined,
): Promise<boolean> {
  let created: { id: string } | null = null;
  try {
    created = await api.createProject(name);
    const id = created.id;
    // The import replaces the workspace: wait until create-dagster is done with it.
    for (;;) {
      const ws = await api.workspace(id);
      if (ws.status !== 'creating') break;
      onStep(`Preparing an empty project: ${ws.step ?? 'creating'}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    // While the import runs, its steps show in the workspace status.
    let importing = true;
    const follow = async () => {
      while (importing) {
        const ws = await api.workspace(id).catch(() => null);
        if (importing && ws?.status === 'creating' && ws.step) onStep(ws.step);
        await new Promise((r) => setTimeout(r, 700));
      }
    };
    void follow();
    const result = await (
      choice.source === 'zip' ? api.importZip(id, choice.file) : api.importProject(id, choice)
    ).finally(() => {
      importing = false;
    });
    await openProject(result.project.id);
    const s = store.getState();
    rememberImportProblems(result.project.id, explainProblems(result.problems, s.nodes, []));
    s.toast(
      'success',
      `Imported ${result.project.graph.nodes.length} component${result.project.graph.nodes.length === 1 ? '' : 's'} and ${result.project.graph.edges.length} dependenc${result.project.graph.edges.length === 1 ? 'y' : 'ies'}.`,
      result.problems.length ? 'Some files are kept but not shown: see the Problems tab.' : undefined,
    );
    return true;
  } catch (error) {
    if (created) await api.deleteProject(created.id).catch(() => undefined);
    reportError(error, 'Import failed');
    return false;
  }
}

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
