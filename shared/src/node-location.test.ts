import { describe, expect, it } from 'vitest';
import { nodeLocation, ownerOf, withoutDocuments } from './node-location.js';
import type { GraphNode } from './project-file/schema.js';

const node = (
  id: string,
  type: GraphNode['type'],
  label: string,
  defined_at?: GraphNode['data']['defined_at'],
) => ({
  id,
  type,
  data: { label, ...(defined_at ? { defined_at } : {}) },
});

const nodes = [
  node('dbt', 'component', 'dbt'),
  node('in0', 'component', 'ingest_1', { path: 'ingest/defs.yaml', document: 0 }),
  node('in1', 'component', 'ingest_2', { path: 'ingest/defs.yaml', document: 1 }),
  node('assets', 'python', 'assets', { path: 'assets' }),
  node('res', 'python', 'resources', { path: 'resources.py' }),
  node('deep', 'python', 'assets_sales', { path: 'assets/sales' }),
];

describe('nodeLocation', () => {
  it.each([
    ['dbt', { path: 'dbt/defs.yaml', folder: 'dbt' }],
    ['in1', { path: 'ingest/defs.yaml', folder: 'ingest', document: 1 }],
    ['assets', { path: 'assets', folder: 'assets' }],
    ['res', { path: 'resources.py', folder: '' }],
  ])('%s', (id, expected) => {
    expect(nodeLocation(nodes.find((n) => n.id === id)!)).toEqual(expected);
  });
});

describe('ownerOf', () => {
  it.each([
    ['a component folder', { path: 'dbt/defs.yaml' }, 'dbt'],
    ['a component folder named without its file', { path: 'dbt' }, 'dbt'],
    ['a file inside a component folder', { path: 'dbt/models/x.sql' }, 'dbt'],
    ['document 1 of a shared file', { path: 'ingest/defs.yaml', document: 1 }, 'in1'],
    ['document 0 of a shared file', { path: 'ingest/defs.yaml', document: 0 }, 'in0'],
    ['a module in a Python folder', { path: 'assets/orders.py' }, 'assets'],
    ['a deeper Python folder wins over its parent', { path: 'assets/sales/x.py' }, 'deep'],
    ['a Python module node', { path: 'resources.py' }, 'res'],
    ['nothing owns an unknown file', { path: 'schedules.py' }, undefined],
    ['an unknown document of a shared file', { path: 'ingest/defs.yaml', document: 7 }, undefined],
  ])('%s', (_name, at, expected) => {
    expect(ownerOf(nodes, at)?.id).toBe(expected);
  });
});

describe('withoutDocuments', () => {
  const file = (i: number) => ({ path: 'ingest/defs.yaml', document: i });
  const docs = [
    node('a', 'component', 'a', file(0)),
    node('b', 'component', 'b', file(1)),
    node('c', 'component', 'c', file(2)),
    node('d', 'component', 'd', file(3)),
    node('other', 'component', 'other', { path: 'reports/defs.yaml', document: 1 }),
    node('plain', 'component', 'plain'),
  ];
  it.each([
    [['b'], { a: 0, c: 1, d: 2, other: 1 }],
    [['a', 'c'], { b: 0, d: 1, other: 1 }],
    [['d'], { a: 0, b: 1, c: 2, other: 1 }],
    [['plain'], { a: 0, b: 1, c: 2, d: 3, other: 1 }],
  ])('deleting %j renumbers the documents left in that file only', (removed, expected) => {
    const left = withoutDocuments(docs, new Set(removed));
    expect(
      Object.fromEntries(
        left.filter((n) => n.data.defined_at).map((n) => [n.id, n.data.defined_at!.document]),
      ),
    ).toEqual(expected);
    // Untouched nodes are the same objects (React Flow keeps their state).
    expect(left.find((n) => n.id === 'other')).toBe(docs[4]);
  });
});
