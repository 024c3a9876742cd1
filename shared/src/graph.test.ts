import { describe, expect, it } from 'vitest';
import { edgeProblem, layeredPositions, topologicalOrder, validateGraph } from './graph.js';
import type { GraphNode } from './project-file/schema.js';

const node = (id: string, label = id): GraphNode => ({
  id,
  type: 'component',
  position: { x: 0, y: 0 },
  data: { label, component_type: 'dagster.PythonScriptComponent', attributes: {} },
});
const located = (
  id: string,
  label: string,
  at: GraphNode['data']['defined_at'],
  type: GraphNode['type'] = 'component',
): GraphNode => ({
  ...node(id, label),
  type,
  data: { ...node(id, label).data, defined_at: at },
});
const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, target });

describe('edgeProblem', () => {
  const chain = [edge('a', 'b'), edge('b', 'c')];
  it.each([
    ['new edge down the chain', 'a', 'c', null],
    ['unrelated node', 'c', 'd', null],
    ['self loop', 'a', 'a', 'itself'],
    ['duplicate', 'a', 'b', 'already connected'],
    ['direct back edge', 'b', 'a', 'cycle'],
    ['long back edge', 'c', 'a', 'cycle'],
  ])('%s', (_n, source, target, expected) => {
    const result = edgeProblem(chain, source, target);
    if (expected === null) expect(result).toBeNull();
    else expect(result).toContain(expected);
  });
});

describe('topologicalOrder', () => {
  it('puts upstream first', () => {
    expect(topologicalOrder(['c', 'b', 'a'], [edge('a', 'b'), edge('b', 'c')])).toEqual(['a', 'b', 'c']);
  });
  it('returns null on a cycle', () => {
    expect(topologicalOrder(['a', 'b'], [edge('a', 'b'), edge('b', 'a')])).toBeNull();
  });
});

describe('validateGraph', () => {
  it.each([
    ['valid graph', [node('a'), node('b')], [edge('a', 'b')], []],
    ['duplicate id', [node('a'), node('a', 'other')], [], ['duplicate_node_id']],
    ['bad label', [node('a', 'Bad-Label')], [], ['invalid_label']],
    ['keyword label', [node('a', 'class')], [], ['invalid_label']],
    ['duplicate label', [node('a', 'x'), node('b', 'x')], [], ['duplicate_label']],
    ['dangling edge', [node('a')], [edge('a', 'zz')], ['dangling_edge']],
    ['self loop', [node('a')], [edge('a', 'a')], ['self_loop']],
    [
      'duplicate edge',
      [node('a'), node('b')],
      [edge('a', 'b'), { ...edge('a', 'b'), id: 'again' }],
      ['duplicate_edge'],
    ],
    [
      'two documents of one file, and a node beside them',
      [
        located('a', 'etl_1', { path: 'etl/defs.yaml', document: 0 }),
        located('b', 'etl_2', { path: 'etl/defs.yaml', document: 1 }),
        node('c', 'etl_3'),
      ],
      [],
      [],
    ],
    [
      'a new node in the folder of a multi-document file',
      [located('a', 'etl_1', { path: 'etl/defs.yaml', document: 0 }), node('b', 'etl')],
      [],
      ['folder_taken'],
    ],
    [
      'a new node in a Python folder',
      [located('a', 'py', { path: 'assets' }, 'python'), node('b', 'assets')],
      [],
      ['folder_taken'],
    ],
    ['cycle', [node('a'), node('b'), node('c')], [edge('a', 'b'), edge('b', 'c'), edge('c', 'a')], ['cycle']],
  ])('%s', (_n, nodes, edges, codes) => {
    expect(validateGraph({ nodes, edges }).map((i) => i.code)).toEqual(codes);
  });
});

describe('layeredPositions', () => {
  it('puts each node one column right of its deepest upstream', () => {
    const positions = layeredPositions(
      ['a', 'b', 'c', 'd'],
      [edge('a', 'b'), edge('b', 'c'), edge('a', 'c')],
    );
    expect(positions).toEqual({
      a: { x: 0, y: 0 },
      d: { x: 0, y: 130 },
      b: { x: 320, y: 0 },
      c: { x: 640, y: 0 },
    });
  });
});
