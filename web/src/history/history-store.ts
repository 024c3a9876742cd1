// Project history in the web app: the entries of the open project, the one or two picked, their diff (drawn on
// the canvas by canvas-marks.ts and HistoryMarks), and restoring an entry as a new, undoable save.
import type { HistoryDiff, HistoryEntry } from '@designer/shared';
import { create } from 'zustand';
import { api, ApiError } from '../api/client';
import { historyApi } from '../api/history';
import { reportError, saveProject } from '../project/project-actions';
import { designerStore } from '../store';
import { fromProjectGraph } from '../store/graph-ops';

const PAGE = 50;

export interface HistoryState {
  projectId: string | null;
  entries: HistoryEntry[];
  total: number;
  loading: boolean;
  error: string | null;
  /** Picked entries (commit ids), at most two; one is compared with the entry before it. */
  picked: string[];
  diff: HistoryDiff | null;
  diffLoading: boolean;
  /** The entry whose restore waits for a confirmation. */
  confirming: string | null;
}

const initial = (): HistoryState => ({
  projectId: null,
  entries: [],
  total: 0,
  loading: false,
  error: null,
  picked: [],
  diff: null,
  diffLoading: false,
  confirming: null,
});

export const useHistory = create<HistoryState>(initial);

const projectId = () => designerStore.getState().project?.id ?? null;

/** Loads the newest page (or the next one with `more`); a save waiting to be written is written first. */
export async function loadHistory(more = false): Promise<void> {
  const id = projectId();
  if (!id) return;
  const state = useHistory.getState();
  if (state.projectId !== id) useHistory.setState({ ...initial(), projectId: id });
  useHistory.setState({ loading: true, error: null });
  try {
    // What the canvas shows is saved first, so the newest entry is the current state.
    const s = designerStore.getState();
    if (s.changeCount !== s.savedChangeCount) await saveProject();
    const offset = more ? useHistory.getState().entries.length : 0;
    const page = await historyApi.list(id, offset, PAGE);
    if (projectId() !== id) return;
    useHistory.setState((h) => ({
      entries: more ? [...h.entries, ...page.entries] : page.entries,
      total: page.total,
      loading: false,
    }));
  } catch (error) {
    useHistory.setState({ loading: false, error: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Picks an entry. Alone, it is compared with the entry before it (what that save changed); with `add`, it is
 * compared with the one already picked (older → newer). Picking a picked entry again unpicks it.
 */
export async function pickEntry(commit: string, add = false): Promise<void> {
  const { picked, entries } = useHistory.getState();
  let next: string[];
  if (picked.includes(commit)) next = picked.filter((c) => c !== commit);
  else if (add && picked.length > 0) next = [picked[picked.length - 1]!, commit];
  else next = [commit];
  useHistory.setState({ picked: next, confirming: null });
  const position = (c: string) => entries.findIndex((e) => e.commit === c);
  let from: string | undefined;
  let to: string | undefined;
  if (next.length === 2) {
    [to, from] = [...next].sort((a, b) => position(a) - position(b)); // newest first in the list
  } else if (next.length === 1) {
    to = next[0];
    from = entries[position(to!) + 1]?.commit;
  }
  if (!from || !to) {
    useHistory.setState({ diff: null });
    return;
  }
  await showDiff(from, to);
}

async function showDiff(from: string, to: string): Promise<void> {
  const id = projectId();
  if (!id) return;
  useHistory.setState({ diffLoading: true });
  try {
    const diff = await historyApi.diff(id, from, to);
    useHistory.setState({ diff, diffLoading: false });
  } catch (error) {
    useHistory.setState({ diffLoading: false, diff: null });
    reportError(error, 'Could not compare the versions');
  }
}

export function clearDiff(): void {
  useHistory.setState({ picked: [], diff: null, confirming: null });
}

export function askRestore(commit: string | null): void {
  useHistory.setState({ confirming: commit });
}

/**
 * Makes an entry the current version: the server saves it as a new version (and writes back the files it
 * holds); the canvas takes its graph as one undo step, so Ctrl+Z brings back what was there (and saves that).
 */
export async function restoreEntry(commit: string): Promise<boolean> {
  const id = projectId();
  if (!id) return false;
  useHistory.setState({ confirming: null });
  try {
    const s = designerStore.getState();
    if (s.changeCount !== s.savedChangeCount) await saveProject();
    const version = designerStore.getState().project?.version;
    if (version === undefined) return false;
    const result = await historyApi.restore(id, commit, version);
    const project = await api.getProject(id);
    if (projectId() !== id) return false;
    const graph = fromProjectGraph(project.graph);
    // One undo step, counted as a change (as any edit); the project then says that change is saved.
    designerStore.setState((d) => ({
      nodes: graph.nodes,
      edges: graph.edges,
      groups: graph.groups ?? [],
      past: [...d.past.slice(-199), { nodes: d.nodes, edges: d.edges, groups: d.groups }],
      future: [],
      changeCount: d.changeCount + 1,
    }));
    designerStore.getState().setProject(project);
    const files = result.files.length
      ? ` and ${result.files.length} file${result.files.length > 1 ? 's' : ''}`
      : '';
    designerStore
      .getState()
      .toast(
        'success',
        `Restored the version of ${formatTime(entryTime(commit))}${files}.`,
        'Undo (Ctrl+Z) brings back what was there before.',
      );
    clearDiff();
    await loadHistory();
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 409)
      reportError(error, 'Not restored: the project changed meanwhile');
    else reportError(error, 'Could not restore the version');
    return false;
  }
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

// Another project opened: nothing of this one's history stays on screen.
designerStore.subscribe((s, previous) => {
  if (s.project?.id !== previous.project?.id && useHistory.getState().projectId !== (s.project?.id ?? null))
    useHistory.setState(initial());
});

function entryTime(commit: string): string {
  return useHistory.getState().entries.find((e) => e.commit === commit)?.at ?? '';
}
