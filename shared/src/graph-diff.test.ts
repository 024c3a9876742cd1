import { describe, expect, it } from 'vitest';
import { diffGraphs, isEmptyDiff, summarizeDiff } from './graph-diff.js';
import type { Graph, GraphNode } from './project-file/schema.js';

const node = (id: string, label: string, attributes: Record<string, unknown> = {}, x = 0): GraphNode => ({
  id,
  type: 'component',
  position: { x, y: 0 },
  data: { label, component_type: 'dagster.PythonScriptComponent', attributes },
});
const graph = (nodes: GraphNode[], edges: [string, string][] = []): Graph => ({
  nodes,
  edges: edges.map(([source, target]) => ({ id: `${source}-${target}`, source, target })),
});

describe('diffGraphs + summarizeDiff', () => {
  const base = graph(
    [node('a', 'raw_orders', { execution: { path: 'raw_orders.py' } }), node('b', 'clean')],
    [['a', 'b']],
  );
  const cases: {
    name: string;
    after: Graph;
    summary: string;
    check?: (d: ReturnType<typeof diffGraphs>) => void;
  }[] = [
    { name: 'nothing', after: base, summary: 'no change to the graph' },
    {
      name: 'a node added',
      after: graph([...base.nodes, node('c', 'shop_dbt')], [['a', 'b']]),
      summary: 'added shop_dbt',
      check: (d) => expect(d.nodes.added).toEqual([{ id: 'c', label: 'shop_dbt' }]),
    },
    {
      name: 'an attribute edited (nested path, no attributes prefix)',
      after: graph(
        [node('a', 'raw_orders', { execution: { path: 'x.py' } }), node('b', 'clean')],
        [['a', 'b']],
      ),
      summary: 'edited raw_orders.execution.path',
      check: (d) => expect(d.nodes.changed[0]!.paths).toEqual(['execution.path']),
    },
    {
      name: 'a node removed with its edge',
      after: graph([base.nodes[0]!]),
      summary: 'removed clean, removed edge raw_orders→clean',
      check: (d) =>
        expect(d.edges.removed).toEqual([{ source: 'a', target: 'b', label: 'raw_orders→clean' }]),
    },
    {
      name: 'an edge added; edge ids do not matter',
      after: {
        nodes: base.nodes,
        edges: [
          { id: 'other', source: 'a', target: 'b' },
          { id: 'x', source: 'b', target: 'a' },
        ],
      },
      summary: 'added edge clean→raw_orders',
    },
    {
      name: 'moves are grouped',
      after: graph(
        [node('a', 'raw_orders', { execution: { path: 'raw_orders.py' } }, 50), node('b', 'clean', {}, 9)],
        [['a', 'b']],
      ),
      summary: 'moved 2 nodes',
      check: (d) => expect(d.nodes.changed.map((c) => c.paths)).toEqual([['position'], ['position']]),
    },
    {
      name: 'a rename is a change of label',
      after: graph(
        [node('a', 'orders', { execution: { path: 'raw_orders.py' } }), node('b', 'clean')],
        [['a', 'b']],
      ),
      summary: 'renamed raw_orders to orders',
    },
    {
      name: 'array items by index, several fields counted',
      after: graph(
        [
          node('a', 'raw_orders', {
            execution: { path: 'raw_orders.py' },
            assets: [{ key: 'k' }],
            tags: { t: 1 },
          }),
          node('b', 'clean'),
        ],
        [['a', 'b']],
      ),
      summary: 'edited raw_orders (2 fields)',
      check: (d) => expect(d.nodes.changed[0]!.paths).toEqual(['assets', 'tags']),
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const d = diffGraphs(base, c.after);
      expect(summarizeDiff(d)).toBe(c.summary);
      expect(isEmptyDiff(d)).toBe(c.summary === 'no change to the graph');
      c.check?.(d);
    });

  it('array elements are compared by index', () => {
    const before = graph([node('a', 'x', { assets: [{ key: 'a' }, { key: 'b' }] })]);
    const after = graph([node('a', 'x', { assets: [{ key: 'a' }, { key: 'c', deps: ['a'] }] })]);
    expect(diffGraphs(before, after).nodes.changed[0]!.paths).toEqual(['assets[1].deps', 'assets[1].key']);
  });

  it('translation paths keep their section', () => {
    const before = graph([node('a', 'x')]);
    const after = graph([
      { ...node('a', 'x'), data: { ...node('a', 'x').data, translation: { group_name: 'g' } } },
    ]);
    expect(summarizeDiff(diffGraphs(before, after))).toBe('edited x.translation');
  });

  it('a long summary ends with how many more', () => {
    const many = graph(Array.from({ length: 40 }, (_, i) => node(`n${i}`, `node_number_${i}`)));
    const line = summarizeDiff(diffGraphs(graph([]), many), 80);
    expect(line.length).toBeLessThan(110);
    expect(line).toMatch(/^added node_number_0, added node_number_1, .* and \d+ more$/);
  });
});
