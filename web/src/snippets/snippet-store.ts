// Snippets in the web app (issue 18): the list the palette shows, "Save selection as snippet", inserting one (the
// server renames, rewires and writes files; the canvas takes the saved graph as one undo step), export and import.
import { create } from 'zustand';
import { ApiError } from '../api/client';
import { snippetsApi, type ListedSnippet } from '../api/snippets';
import { api } from '../api/client';
import { reportError, saveProject } from '../project/project-actions';
import { designerStore } from '../store';
import { fromProjectGraph, withGroupSelection } from '../store/graph-ops';
import { boxOf, freeOffset } from '../store/placement';

export interface SnippetState {
  snippets: ListedSnippet[] | null;
  error: string | null;
  /** The "Save selection as snippet" dialog is open. */
  saving: boolean;
  busy: string | null;
}

export const useSnippets = create<SnippetState>(() => ({
  snippets: null,
  error: null,
  saving: false,
  busy: null,
}));

const toast = (...args: Parameters<ReturnType<typeof designerStore.getState>['toast']>) =>
  designerStore.getState().toast(...args);

export async function loadSnippets(): Promise<void> {
  try {
    useSnippets.setState({ snippets: await snippetsApi.list(), error: null });
  } catch (error) {
    useSnippets.setState({ error: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * The selected nodes that can go into a snippet (components and schedules; plain Python stays out); a selected
 * group's frame stands for its members, and a group whose members all go in is kept in the snippet.
 */
export const selectedForSnippet = () =>
  withGroupSelection(designerStore.getState()).nodes.filter((n) => n.selected);

export function openSaveSnippet(): void {
  if (selectedForSnippet().length === 0) {
    toast('info', 'Select the nodes to keep as a snippet first (drag a box or Shift+click).');
    return;
  }
  useSnippets.setState({ saving: true });
}

export const closeSaveSnippet = () => useSnippets.setState({ saving: false });

/** Saves the selection (as saved: pending edits are saved first) with the files in its nodes' folders. */
export async function saveSelectionAsSnippet(
  name: string,
  description: string,
  overwrite = false,
): Promise<'saved' | 'exists' | 'failed'> {
  const project = designerStore.getState().project;
  if (!project) return 'failed';
  const nodes = selectedForSnippet().map((n) => n.id);
  try {
    await saveProject();
    const result = await snippetsApi.save(project.id, {
      name,
      ...(description.trim() ? { description: description.trim() } : {}),
      nodes,
      overwrite,
    });
    const files = result.snippet.files.length;
    toast(
      'success',
      `Saved the snippet ${name}: ${result.snippet.nodes.length} nodes, ${result.snippet.edgeCount} edges, ${files} file${files === 1 ? '' : 's'}.`,
      result.warnings.join(' ') || undefined,
    );
    useSnippets.setState({ saving: false });
    await loadSnippets();
    return 'saved';
  } catch (error) {
    if (error instanceof ApiError && error.code === 'snippet_exists') return 'exists';
    reportError(error, 'Could not save the snippet');
    return 'failed';
  }
}

/**
 * Where a snippet's top-left node goes so that none of its nodes covers one on the canvas: `wanted`, or the nearest
 * free spot (the same search a paste uses).
 */
async function freeSpot(name: string, wanted: { x: number; y: number }): Promise<{ x: number; y: number }> {
  const snippet = await snippetsApi.export(name);
  const minX = Math.min(...snippet.nodes.map((n) => n.position.x));
  const minY = Math.min(...snippet.nodes.map((n) => n.position.y));
  const boxes = snippet.nodes.map((n) =>
    boxOf({ position: { x: n.position.x - minX, y: n.position.y - minY } }),
  );
  return freeOffset(boxes, designerStore.getState().nodes.map(boxOf), wanted);
}

/** Inserts a snippet at `position` (or the nearest free spot): one undo step; the new nodes come selected. */
export async function insertSnippet(name: string, position?: { x: number; y: number }): Promise<boolean> {
  const id = designerStore.getState().project?.id;
  if (!id) return false;
  useSnippets.setState({ busy: name });
  try {
    await saveProject();
    const version = designerStore.getState().project?.version;
    if (version === undefined) return false;
    const at = position ? await freeSpot(name, position) : undefined;
    const result = await snippetsApi.insert(id, name, version, at);
    const project = await api.getProject(id);
    if (designerStore.getState().project?.id !== id) return false;
    const added = new Set(result.nodes);
    const graph = fromProjectGraph(project.graph);
    designerStore.getState().applyGraph({
      ...graph,
      nodes: graph.nodes.map((n) => ({ ...n, selected: added.has(n.id) })),
    });
    designerStore.getState().setProject(project);
    const renamed = result.renamed.map((r) => `${r.from} → ${r.to}`).join(', ');
    toast(
      'success',
      `Inserted ${name}: ${result.nodes.length} nodes${result.files.length ? `, ${result.files.length} files` : ''}${renamed ? ` (renamed ${renamed})` : ''}.`,
      [...result.warnings, 'Undo (Ctrl+Z) takes it out again.'].join(' '),
    );
    return true;
  } catch (error) {
    reportError(error, `Could not insert the snippet ${name}`);
    return false;
  } finally {
    useSnippets.setState({ busy: null });
  }
}

/** Downloads a snippet as `<name>.snippet.json`. */
export async function exportSnippet(name: string): Promise<void> {
  try {
    const snippet = await snippetsApi.export(name);
    const url = URL.createObjectURL(
      new Blob([`${JSON.stringify(snippet, null, 1)}\n`], { type: 'application/json' }),
    );
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name}.snippet.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    reportError(error, `Could not export the snippet ${name}`);
  }
}

/** Imports a snippet file chosen by the user; the server checks it (shape, paths, sizes). */
export async function importSnippetFile(file: File): Promise<void> {
  try {
    if (file.size > 2 * 1024 * 1024) throw new Error(`${file.name} is larger than 2 MiB: not a snippet.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      throw new Error(`${file.name} is not JSON: export a snippet from the designer and import that file.`);
    }
    let summary;
    try {
      summary = await snippetsApi.import(parsed);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'snippet_exists')) throw error;
      if (!window.confirm(`${error.message} Replace it?`)) return;
      summary = await snippetsApi.import(parsed, true);
    }
    toast('success', `Imported the snippet ${summary.name} (${summary.nodes.length} nodes).`);
    await loadSnippets();
  } catch (error) {
    reportError(error, 'Could not import the snippet');
  }
}

export async function deleteSnippet(name: string): Promise<void> {
  try {
    await snippetsApi.remove(name);
    await loadSnippets();
  } catch (error) {
    reportError(error, `Could not delete the snippet ${name}`);
  }
}
