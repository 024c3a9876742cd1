// Graph, selection and history. Every change that alters the saved graph goes through `change()`,
// which records an undo step (coalesced by key, so typing in a field is one step) and counts the
// change for autosave.
import { applyEdgeChanges, applyNodeChanges } from '@xyflow/react';
import type { StateCreator } from 'zustand';
import { pruneGroups } from '@designer/shared';
import * as ops from './graph-ops';
import { withCurrentSizes, withoutEstimates } from './node-shapes';
import type { DesignerState, GraphSlice } from './types';

const HISTORY_LIMIT = 200;
const COALESCE_MS = 1200;
let lastHistory = { key: '', at: 0 };

const snapshot = (s: {
  nodes: ops.DesignerNode[];
  edges: ops.DesignerEdge[];
  groups: ops.DesignerGroup[];
}): ops.GraphState => ({
  nodes: s.nodes,
  edges: s.edges,
  groups: s.groups,
});
const clearSelection = (g: ops.GraphState) => ({
  nodes: g.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
  edges: g.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
  groups: (g.groups ?? []).map((x) => (x.selected ? { ...x, selected: false } : x)),
});

export const createGraphSlice: StateCreator<DesignerState, [], [], GraphSlice> = (set, get) => {
  /** Applies a new graph, recording the old one for undo unless `key` repeats within the coalescing window. */
  const change = (next: ops.GraphState, key?: string) => {
    const now = Date.now();
    const coalesce = key !== undefined && key === lastHistory.key && now - lastHistory.at < COALESCE_MS;
    lastHistory = { key: key ?? '', at: now };
    set((s) => ({
      nodes: next.nodes,
      edges: next.edges,
      // Groups lose the members a change removed (a group left empty is gone): delete and undo stay one step.
      groups:
        next.groups ??
        (s.groups.length ? [...pruneGroups(s.groups, new Set(next.nodes.map((n) => n.id)))] : s.groups),
      past: coalesce ? s.past : [...s.past.slice(-HISTORY_LIMIT + 1), snapshot(s)],
      future: [],
      changeCount: s.changeCount + 1,
    }));
  };

  return {
    nodes: [],
    edges: [],
    groups: [],
    viewport: { x: 0, y: 0, zoom: 1 },
    past: [],
    future: [],
    clipboard: null,
    changeCount: 0,
    viewChangeCount: 0,

    onNodesChange: (changes) => {
      const structural = changes.some((c) => c.type === 'remove' || c.type === 'add' || c.type === 'replace');
      if (structural) {
        change({ nodes: applyNodeChanges(changes, get().nodes), edges: get().edges });
        return;
      }
      const moved = changes.some((c) => c.type === 'position' && c.position);
      set((s) => ({
        nodes: withoutEstimates(applyNodeChanges(changes, s.nodes), changes),
        ...(moved ? { changeCount: s.changeCount + 1 } : {}),
      }));
    },
    onEdgesChange: (changes) => {
      if (changes.some((c) => c.type === 'remove' || c.type === 'add' || c.type === 'replace')) {
        change({ nodes: get().nodes, edges: applyEdgeChanges(changes, get().edges) });
        return;
      }
      set((s) => ({ edges: applyEdgeChanges(changes, s.edges) }));
    },
    // A drag is one undo step: the state before it is recorded when it starts.
    beginDrag: () => {
      lastHistory = { key: '', at: 0 };
      set((s) => ({ past: [...s.past.slice(-HISTORY_LIMIT + 1), snapshot(s)], future: [] }));
    },
    connectNodes: (source, target) => {
      const result = ops.connect(get(), source, target);
      if ('error' in result) return result.error;
      change(result.state);
      return null;
    },
    addComponent: (component, position) => {
      const { state, id } = ops.addComponent(get(), component, position);
      change(state);
      return id;
    },
    deleteSelection: () => {
      // A selected group goes with its members.
      const s = ops.withGroupSelection(get());
      if (!s.nodes.some((n) => n.selected) && !s.edges.some((e) => e.selected)) return;
      change(ops.removeSelected(s));
    },
    updateNode: (id, patch, historyKey) =>
      change(
        ops.updateNodeData(get(), id, patch),
        historyKey ?? `update:${id}:${Object.keys(patch).join(',')}`,
      ),
    renameNode: (id, label) => {
      const result = ops.renameNode(get(), id, label);
      if ('error' in result) return result.error;
      if (result.state.nodes !== get().nodes) change(result.state);
      return null;
    },
    applyPositions: (positions) => {
      const s = get();
      change({
        nodes: s.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id]! } : n)),
        edges: s.edges,
      });
    },
    setViewport: (viewport) => set((s) => ({ viewport, viewChangeCount: s.viewChangeCount + 1 })),
    selectOnly: (id) =>
      set((s) => ({
        nodes: s.nodes.map((n) =>
          (n.id === id) !== Boolean(n.selected) ? { ...n, selected: n.id === id } : n,
        ),
        edges: s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
        ...(s.groups.some((g) => g.selected)
          ? { groups: s.groups.map((g) => (g.selected ? { ...g, selected: false } : g)) }
          : {}),
      })),
    applyGraph: (next, historyKey) => change(next, historyKey),
    undo: () => {
      const s = get();
      const previous = s.past[s.past.length - 1];
      if (!previous) return;
      lastHistory = { key: '', at: 0 };
      const restored = clearSelection(previous);
      set({
        ...restored,
        nodes: withCurrentSizes(restored.nodes, s.nodes),
        past: s.past.slice(0, -1),
        future: [snapshot(s), ...s.future],
        changeCount: s.changeCount + 1,
      });
    },
    redo: () => {
      const s = get();
      const next = s.future[0];
      if (!next) return;
      lastHistory = { key: '', at: 0 };
      const restored = clearSelection(next);
      set({
        ...restored,
        nodes: withCurrentSizes(restored.nodes, s.nodes),
        past: [...s.past, snapshot(s)],
        future: s.future.slice(1),
        changeCount: s.changeCount + 1,
      });
    },
    copy: () => {
      const clipboard = ops.copySelection(ops.withGroupSelection(get()));
      if (clipboard) set({ clipboard });
      return clipboard !== null;
    },
    cut: () => {
      if (get().copy()) get().deleteSelection();
    },
    pasteClipboard: (offset = { x: 40, y: 40 }) => {
      const { clipboard } = get();
      if (!clipboard) return;
      change(ops.paste(get(), clipboard, offset));
      // Pasting again lands further along instead of on top of the last copy.
      set({
        clipboard: {
          ...clipboard,
          nodes: clipboard.nodes.map((n) => ({
            ...n,
            position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
          })),
        },
      });
    },
    duplicate: () => {
      const clipboard = ops.copySelection(ops.withGroupSelection(get()));
      if (clipboard) change(ops.paste(get(), clipboard, { x: 40, y: 40 }));
    },
    selectAll: () => set((s) => ({ nodes: s.nodes.map((n) => (n.selected ? n : { ...n, selected: true })) })),
    replaceGraph: (graph, viewport) => {
      lastHistory = { key: '', at: 0 };
      set({
        nodes: graph.nodes,
        edges: graph.edges,
        groups: graph.groups ?? [],
        past: [],
        future: [],
        ...(viewport ? { viewport } : {}),
      });
    },
  };
};
