import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Graph, GraphNode } from '@designer/shared';
import { rebuildGraph } from './pull-graph.js';

const tree = mkdtempSync(path.join(os.tmpdir(), 'designer-pull-graph-'));
afterAll(() => rmSync(tree, { recursive: true, force: true }));
const defs = (rel: string, text: string) => {
  const file = path.join(tree, 'src/shop/defs', rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};
const script = (key: string, description = '') =>
  `type: dagster.PythonScriptComponent\nattributes:\n  assets:\n    - key: ${key}\n${description ? `      description: ${description}\n` : ''}  execution:\n    path: run.py\n`;
const node = (id: string, label: string, x: number, key: string): GraphNode => ({
  id,
  type: 'component',
  position: { x, y: 50 },
  data: {
    label,
    component_type: 'dagster.PythonScriptComponent',
    attributes: { assets: [{ key }], execution: { path: 'run.py' } },
    translation: { key_prefix: 'kept' },
  },
});

describe('rebuildGraph', () => {
  // On disk after the merge: extract unchanged, clean edited by the teammate, load new, old deleted.
  defs('extract/defs.yaml', script('raw/orders'));
  defs('clean/defs.yaml', script('clean/orders', 'Cleaned by a teammate'));
  defs('load/defs.yaml', script('warehouse/orders'));
  const current: Graph = {
    nodes: [
      node('n1', 'extract', 0, 'raw/orders'),
      node('n2', 'clean', 300, 'clean/orders'),
      node('n3', 'old', 600, 'old/orders'),
    ],
    edges: [
      { id: 'e1', source: 'n1', target: 'n2' },
      { id: 'e2', source: 'n2', target: 'n3' },
    ],
    groups: [
      { id: 'g1', name: 'Raw', color: 'blue', members: ['n1', 'n3'] },
      { id: 'g2', name: 'Gone', color: 'blue', members: ['n3'] },
    ],
  };
  const changed = new Set([
    'src/shop/defs/clean/defs.yaml',
    'src/shop/defs/load/defs.yaml',
    'src/shop/defs/old/defs.yaml',
  ]);

  it.each([
    [
      'an untouched node is kept as it was',
      (g: Graph) => g.nodes.find((n) => n.id === 'n1'),
      current.nodes[0],
    ],
    [
      'a touched node keeps id, label, position and translation, with the file attributes',
      (g: Graph) => g.nodes.find((n) => n.id === 'n2'),
      {
        ...current.nodes[1],
        data: {
          ...current.nodes[1]!.data,
          attributes: {
            assets: [{ key: 'clean/orders', description: 'Cleaned by a teammate' }],
            execution: { path: 'run.py' },
          },
        },
      },
    ],
    [
      'a new node goes right of the canvas',
      (g: Graph) => g.nodes.find((n) => n.data.label === 'load')?.position,
      { x: 900, y: 0 },
    ],
    ['a node whose file is gone is removed', (g: Graph) => g.nodes.some((n) => n.id === 'n3'), false],
    ['edges into touched or removed nodes are left to the caller', (g: Graph) => g.edges, []],
    [
      'groups keep the members that are left, and an empty group goes',
      (g: Graph) => g.groups,
      [{ id: 'g1', name: 'Raw', color: 'blue', members: ['n1'] }],
    ],
  ])('%s', async (_name, pick, expected) => {
    const { graph } = await rebuildGraph(current, tree, 'shop', changed);
    expect(pick(graph)).toEqual(expected);
  });

  it('names the touched and new nodes', async () => {
    const { graph, touched } = await rebuildGraph(current, tree, 'shop', changed);
    const load = graph.nodes.find((n) => n.data.label === 'load')!;
    expect([...touched].sort()).toEqual([load.id, 'n2'].sort());
  });
});
