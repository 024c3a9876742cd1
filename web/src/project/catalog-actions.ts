// The palette's component catalog and the components' JSON schemas (asked once per type, shared by every form).
import type { ComponentSchema, ComponentSummary } from '@designer/shared';
import { ApiError, api } from '../api/client';
import { designerStore } from '../store';

const store = designerStore;

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

/** Writes a DuckDB connection component into the project (a SQL node needs one); answers its component type. */
export function addDuckDbConnection(projectId: string) {
  return api.addDuckDbConnection(projectId);
}
