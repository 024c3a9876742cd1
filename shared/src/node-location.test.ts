import { describe, expect, it } from 'vitest';
import { nodeLocation, ownerOf } from './node-location.js';
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
