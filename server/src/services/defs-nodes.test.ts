import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { definitionOwner, edgesNeedingCode, nodesFromDefs } from './defs-nodes.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'defs-nodes-'));
const defs = path.join(root, 'src', 'shop', 'defs');
const write = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(defs, rel)), { recursive: true });
  writeFileSync(path.join(defs, rel), text);
};
write('__init__.py', '');
write('dbt/defs.yaml', 'type: dagster_dbt.DbtProjectComponent\nattributes:\n  project: x\n');
write(
  'etl/defs.yaml',
  'type: dagster.PythonScriptComponent\nattributes:\n  assets: [{ key: raw/orders }]\n---\ntype: shop.components.Greeting\nattributes: {}\n',
);
write('etl/run.py', 'print(1)\n');
write('assets/__init__.py', '');
write('assets/orders.py', 'import dagster as dg\n');
write('assets/sub/more.py', 'x = 1\n');
write('checks/__init__.py', '');
write('resources.py', 'x = 1\n');
write('ingest/sling/defs.yaml', 'type: dagster_sling.SlingReplicationCollectionComponent\nattributes: {}\n');
write('empty/__init__.py', '');
write('lib/helpers/util.py', 'x = 1\n');
write('lib/helpers/deep/defs.yaml', 'type: dagster.PythonScriptComponent\nattributes: {}\n');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('nodesFromDefs', () => {
  it('gives a node to every component document and every folder or module of Python definitions', async () => {
    const { nodes, problems } = await nodesFromDefs(root, 'shop');
    expect(problems).toEqual([]);
    const summary = nodes.map((n) => [
      n.type,
      n.data.label,
      n.data.component_type,
      n.data.defined_at ?? null,
    ]);
    expect(summary).toEqual([
      ['python', 'assets', 'shop.defs.assets', { path: 'assets' }],
      ['component', 'dbt', 'dagster_dbt.DbtProjectComponent', null],
      ['component', 'orders', 'dagster.PythonScriptComponent', { path: 'etl/defs.yaml', document: 0 }],
      ['component', 'etl_2', 'shop.components.Greeting', { path: 'etl/defs.yaml', document: 1 }],
      [
        'component',
        'ingest_sling',
        'dagster_sling.SlingReplicationCollectionComponent',
        { path: 'ingest/sling/defs.yaml' },
      ],
      [
        'component',
        'lib_helpers_deep',
        'dagster.PythonScriptComponent',
        { path: 'lib/helpers/deep/defs.yaml' },
      ],
      ['python', 'lib', 'shop.defs.lib', { path: 'lib' }],
      ['python', 'resources', 'shop.defs.resources', { path: 'resources.py' }],
    ]);
  });
  it('attributes definitions to their node', async () => {
    const { nodes } = await nodesFromDefs(root, 'shop');
    const owner = (d: Parameters<typeof definitionOwner>[1]) => definitionOwner(nodes, d)?.data.label;
    expect(owner({ definedAt: { path: 'assets/sub/more.py' } })).toBe('assets');
    expect(owner({ definedAt: { path: 'etl/defs.yaml', document: 1 } })).toBe('etl_2');
    expect(owner({ defined_at: { path: 'resources.py' } })).toBe('resources');
    expect(owner({ key: 'raw/orders', folder: 'etl' })).toBe('orders');
    expect(owner({ folder: 'dbt' })).toBe('dbt');
  });
});

describe('edgesNeedingCode', () => {
  it('warns on an edge into Python definitions whose code does not depend on the upstream yet', async () => {
    const { nodes } = await nodesFromDefs(root, 'shop');
    const id = (label: string) => nodes.find((n) => n.data.label === label)!.id;
    const edges = [
      { id: 'a', source: id('dbt'), target: id('assets') },
      { id: 'b', source: id('orders'), target: id('resources') },
    ];
    const assets = [
      { key: 'orders_model', deps: [], nodeId: id('dbt') },
      { key: 'raw/orders', deps: [], nodeId: id('orders') },
      { key: 'report', deps: ['orders_model'], nodeId: id('assets') },
      { key: 'other', deps: [], nodeId: id('resources') },
    ];
    const problems = edgesNeedingCode({ nodes, edges }, assets);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ nodeId: id('resources'), severity: 'warning' });
    expect(problems[0]!.message).toContain('the edge from orders needs a code change');
    expect(problems[0]!.hint).toContain('deps=["raw/orders"]');
  });
});
