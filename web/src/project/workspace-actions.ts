// The open project's Dagster workspace: its creation progress (polled until ready) and a retry after a failure.
import { api } from '../api/client';
import { designerStore } from '../store';
import { loadCatalog } from './catalog-actions';
import { previewAssets } from './preview-actions';
import { reportError } from './project-actions';

const store = designerStore;

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
