// Layout quality with the real ELK (elkjs run in-process): no two nodes overlap, every edge points right, and the
// chains laid out without ELK look as ELK would lay them. Times are measured in bench/, not here.
import { describe, expect, it } from 'vitest';
import type { DesignerEdge, DesignerNode } from '../store/graph-ops';
import { packChains, splitChains } from './chains';
import { LARGE_GRAPH } from '@designer/shared';
import { layoutGraph } from './layout';
import { benchGraph, engine, overlaps } from './layout-test-graphs';

function check(
  nodes: readonly DesignerNode[],
  edges: readonly DesignerEdge[],
  positions: Record<string, { x: number; y: number }>,
) {
  expect(Object.keys(positions).sort()).toEqual(nodes.map((n) => n.id).sort());
  const rect = (id: string) => ({ id, ...positions[id]!, width: 240, height: 76 });
  expect(overlaps(nodes.map((n) => rect(n.id)))).toEqual([]);
  const backwards = edges.filter((e) => rect(e.target).x < rect(e.source).x + 240);
  expect(backwards.map((e) => e.id)).toEqual([]);
}

describe('layoutGraph', () => {
  it('lays out 1,000 nodes and 1,000 edges with no overlap and every edge left to right', async () => {
    const { nodes, edges } = benchGraph(1000, 1000);
    const positions = await layoutGraph(nodes, edges, engine());
    check(nodes, edges, positions);
    // Compact: about the shape of the screen, not a 30,000 px diagonal (what Brandes–Köpf gave this graph).
    const xs = Object.values(positions).map((p) => p.x);
    const ys = Object.values(positions).map((p) => p.y);
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(25_000);
    expect(Math.max(...ys) - Math.min(...ys)).toBeLessThan(10_000);
  }, 60_000);

  it.each([
    ['a small pipeline (ELK nicest settings)', 40, 50],
    ['just over the large-graph threshold', LARGE_GRAPH, LARGE_GRAPH],
  ])(
    '%s: no overlap, edges left to right',
    async (_, n, m) => {
      const { nodes, edges } = benchGraph(n, m);
      check(nodes, edges, await layoutGraph(nodes, edges, engine()));
    },
    60_000,
  );

  it('keeps a chain in one row, source first, in a large graph as ELK does in a small one', async () => {
    const { nodes } = benchGraph(LARGE_GRAPH, 0);
    const chain = [
      { id: 'c1', source: 'n0', target: 'n1' },
      { id: 'c2', source: 'n1', target: 'n2' },
    ];
    for (const count of [3, LARGE_GRAPH]) {
      const positions = await layoutGraph(nodes.slice(0, count), chain, engine());
      const [a, b, c] = ['n0', 'n1', 'n2'].map((id) => positions[id]!);
      expect(b!.y).toBe(a!.y);
      expect(c!.y).toBe(a!.y);
      expect(b!.x - a!.x).toBe(240 + 90);
      expect(c!.x - b!.x).toBe(240 + 90);
    }
  }, 60_000);
});

describe('splitChains', () => {
  const box = (id: string) => ({ id, width: 240, height: 76 });
  const link = (source: string, target: string) => ({ id: `${source}>${target}`, source, target });
  it.each([
    ['a single node', ['a'], [], [['a']], []],
    ['a → b → c', ['c', 'b', 'a'], [link('a', 'b'), link('b', 'c')], [['a', 'b', 'c']], []],
    ['a branch goes to ELK', ['a', 'b', 'c'], [link('a', 'b'), link('a', 'c')], [], ['a', 'b', 'c']],
    ['a join goes to ELK', ['a', 'b', 'c'], [link('a', 'c'), link('b', 'c')], [], ['a', 'b', 'c']],
    ['a cycle goes to ELK', ['a', 'b'], [link('a', 'b'), link('b', 'a')], [], ['a', 'b']],
    ['a self-loop goes to ELK', ['a'], [link('a', 'a')], [], ['a']],
    [
      'two edges a → b go to ELK',
      ['a', 'b'],
      [link('a', 'b'), { ...link('a', 'b'), id: 'x' }],
      [],
      ['a', 'b'],
    ],
    ['an edge to an unknown node is ignored', ['a'], [link('a', 'zz')], [['a']], []],
  ])('%s', (_, ids, links, chains, rest) => {
    const split = splitChains(ids.map(box), links);
    expect(split.chains.map((c) => c.map((b) => b.id))).toEqual(chains);
    expect(split.rest.map((b) => b.id)).toEqual(rest);
    expect(split.restLinks).toEqual(rest.length ? links.filter((l) => l.target !== 'zz') : []);
  });

  it('packs rows below the top without overlap, longest first, within the width', () => {
    const chains = [[box('a')], [box('b'), box('c'), box('d')], [box('e'), box('f')], [box('g')]];
    const placed = packChains(chains, { layerGap: 90, gap: 60 }, 500, 1000);
    expect(placed.positions.get('b')).toEqual({ x: 0, y: 500 });
    expect(placed.positions.get('d')).toEqual({ x: 660, y: 500 });
    const rects = [...placed.positions].map(([id, p]) => ({ id, ...p, width: 240, height: 76 }));
    expect(overlaps(rects)).toEqual([]);
    expect(Math.max(...rects.map((r) => r.x + r.width))).toBeLessThanOrEqual(placed.width);
    expect(Math.max(...rects.map((r) => r.y + r.height))).toBe(placed.height);
    expect(placed.width).toBeLessThanOrEqual(1000);
  });
});
