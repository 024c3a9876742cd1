// Nodes imported from a real project (one YAML document of a shared file, plain Python definitions) survive
// the canvas round trip, and a copy of one is a new component of its own.
import { describe, expect, it } from 'vitest';
import type { Graph } from '@designer/shared';
import { fromProjectGraph, paste, removeSelected, toProjectGraph } from './graph-ops';

const graph: Graph = {
  nodes: [
    {
      id: 'doc',
      type: 'component',
      position: { x: 0, y: 0 },
      data: {
        label: 'raw_orders',
        component_type: 'dagster.PythonScriptComponent',
        attributes: { assets: [{ key: 'raw_orders' }] },
        defined_at: { path: 'ingest/defs.yaml', document: 1 },
      },
    },
    {
      id: 'py',
      type: 'python',
      position: { x: 300, y: 0 },
      data: {
        label: 'assets',
        component_type: 'shop.defs.assets',
        attributes: {},
        defined_at: { path: 'assets' },
      },
    },
  ],
  edges: [{ id: 'e', source: 'doc', target: 'py' }],
};

describe('located nodes on the canvas', () => {
  it('keep their kind and where they are defined through a save', () => {
    expect(toProjectGraph(fromProjectGraph(graph))).toEqual(graph);
  });
  it('are copied as new components in their own folder; Python definitions are not copied', () => {
    const state = fromProjectGraph(graph);
    const out = paste(state, { nodes: state.nodes, edges: state.edges }, { x: 10, y: 10 });
    const copies = out.nodes.slice(2);
    expect(copies).toHaveLength(1);
    expect(copies[0]!.type).toBe('component');
    expect(copies[0]!.data.defined_at).toBeUndefined();
    expect(copies[0]!.data.label).toBe('raw_orders_2');
    expect(out.edges).toHaveLength(1);
  });
  it('deleting one document renumbers the documents left in its file, as Dagster will after sync', () => {
    const doc = (id: string, document: number) => ({
      ...graph.nodes[0]!,
      id,
      data: { ...graph.nodes[0]!.data, label: id, defined_at: { path: 'ingest/defs.yaml', document } },
    });
    const state = fromProjectGraph({ nodes: [doc('a', 0), doc('b', 1), doc('c', 2)], edges: [] });
    const out = removeSelected({
      ...state,
      nodes: state.nodes.map((n) => ({ ...n, selected: n.id === 'b' })),
    });
    expect(out.nodes.map((n) => [n.id, n.data.defined_at?.document])).toEqual([
      ['a', 0],
      ['c', 1],
    ]);
  });
});
