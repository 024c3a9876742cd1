// Pull: where from, what teammates changed (the preview), how each conflict is resolved, and applying it.
// Separate from the designer's store; applying takes the saved graph into the canvas as one undo step.
import type { PullPreview, PullResolution } from '@designer/shared';
import { create } from 'zustand';
import { api } from '../api/client';
import { pullApi } from '../api/pull';
import { loadHistory } from '../history/history-store';
import { reportError, saveProject } from '../project/project-actions';
import { designerStore } from '../store';
import { fromProjectGraph } from '../store/graph-ops';

export interface PullTarget {
  remote: string;
  branch: string;
  username: string;
  token: string;
}

export type Resolution = { choice: 'mine' } | { choice: 'theirs' } | { choice: 'edited'; text: string };

export interface PullState {
  open: boolean;
  busy: null | 'preview' | 'apply';
  preview: PullPreview | null;
  /** By path: how the designer resolves each conflict. */
  resolutions: Record<string, Resolution>;
}

export const usePull = create<PullState>(() => ({ open: false, busy: null, preview: null, resolutions: {} }));

export const openPullDialog = (open = true) =>
  usePull.setState({ open, busy: null, preview: null, resolutions: {} });

export const resolveConflict = (path: string, resolution: Resolution) =>
  usePull.setState((s) => ({ resolutions: { ...s.resolutions, [path]: resolution } }));

const body = (t: PullTarget) => ({
  remote: t.remote.trim(),
  branch: t.branch.trim(),
  ...(t.token ? { token: t.token } : {}),
  ...(t.username.trim() ? { username: t.username.trim() } : {}),
});

export async function previewPull(target: PullTarget): Promise<void> {
  const project = designerStore.getState().project;
  if (!project) return;
  usePull.setState({ busy: 'preview', preview: null, resolutions: {} });
  try {
    await saveProject();
    usePull.setState({ preview: await pullApi.preview(project.id, body(target)) });
  } catch (error) {
    reportError(error, 'Pull failed');
  } finally {
    usePull.setState({ busy: null });
  }
}

export async function applyPull(target: PullTarget): Promise<void> {
  const project = designerStore.getState().project;
  const { preview, resolutions } = usePull.getState();
  if (!project || !preview) return;
  usePull.setState({ busy: 'apply' });
  try {
    const list: PullResolution[] = Object.entries(resolutions).map(([path, r]) => ({ path, ...r }));
    const applied = await pullApi.apply(project.id, {
      ...body(target),
      head: preview.head,
      version: preview.version,
      resolutions: list,
    });
    const saved = await api.getProject(project.id);
    const graph = fromProjectGraph(saved.graph);
    // One undo step, as a History restore is: Ctrl+Z brings back the graph from before the pull.
    designerStore.setState((d) => ({
      nodes: graph.nodes,
      edges: graph.edges,
      groups: graph.groups ?? [],
      past: [...d.past.slice(-199), { nodes: d.nodes, edges: d.edges, groups: d.groups }],
      future: [],
      changeCount: d.changeCount + 1,
    }));
    // The server saved the remote and branch with the pulled version: nothing is left unsaved.
    designerStore.getState().setProject(saved);
    const n = applied.graph;
    designerStore
      .getState()
      .toast(
        'success',
        `Pulled ${applied.files.length} file${applied.files.length === 1 ? '' : 's'} from ${target.branch.trim()} (${applied.head.slice(0, 8)}): ${n.added.length} node${n.added.length === 1 ? '' : 's'} added, ${n.changed.length} changed, ${n.removed.length} removed.`,
        'History has it as a version; restoring the one before undoes the pull.',
      );
    openPullDialog(false);
    void loadHistory();
  } catch (error) {
    reportError(error, 'Pull not applied');
  } finally {
    usePull.setState({ busy: null });
  }
}
