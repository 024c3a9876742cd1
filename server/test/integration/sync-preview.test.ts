// Sync and preview on the real toolchain: dg scaffold defs, dg check yaml, dg list defs, dbt + DuckDB.
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Graph, ProjectFile } from '@designer/shared';
import { REPO_ROOT } from '../../src/config.js';
import { componentNode, makeTestApp, pipesScript, scriptNode, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
let root: string;
let defs: string;

beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true });
  await t.app.services.catalogEnv.prepare();
  project = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Shop' } })).json();
  await t.app.services.workspaces.settle();
  const ws = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/workspace` })).json();
  expect(ws.status).toBe('ready');
  root = ws.path;
  defs = path.join(root, 'src', 'shop', 'defs');
});
afterAll(async () => {
  t?.app.services.inspector.stop();
  await t?.close();
});

async function save(graph: Graph): Promise<void> {
  const current = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}` })).json();
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: { version: current.version, graph },
  });
  expect(res.statusCode, res.body).toBe(200);
}

const syncNow = async () => {
  const res = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/sync` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    changed: string[];
    steps: string[];
    problems: Array<{
      nodeId?: string;
      message: string;
      file?: string;
      line?: number;
      hint?: string;
      field?: string;
    }>;
  };
};
const preview = async () => {
  const res = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    assets: Array<{
      key: string;
      deps: string[];
      nodeId?: string;
      description?: string;
      group_name?: string;
    }>;
    problems: Array<{ nodeId?: string; message: string }>;
    warm: boolean;
  };
};

async function dgListDefs(): Promise<Array<{ key: string; deps: string[] }>> {
  const result = await t.app.services.cli.listDefs(root);
  expect(result.exitCode, result.stderr).toBe(0);
  const parsed = JSON.parse(result.stdout) as
    { assets?: Array<Record<string, unknown>> } | Array<Record<string, unknown>>;
  const assets = Array.isArray(parsed) ? parsed : (parsed.assets ?? []);
  // dg's field names changed between versions: accept both spellings.
  return assets.map((a) => ({
    key: String(a.key ?? a.asset_key),
    deps: ((a.deps ?? a.dependency_keys ?? []) as string[]).map(String),
  }));
}

const writeScript = (label: string) =>
  writeFileSync(path.join(defs, label, `${label}.py`), pipesScript('hello'));

describe('sync and preview on the real toolchain', () => {
  it('turns two connected script components into a real dependency', async () => {
    await save({
      nodes: [scriptNode('a', 'extract', 'raw/orders'), scriptNode('b', 'summarize', 'marts/orders_by_day')],
      edges: [{ id: 'e1', source: 'a', target: 'b' }],
    });
    const first = await syncNow();
    expect(first.changed).toEqual(
      expect.arrayContaining([
        'src/shop/defs/extract/defs.yaml',
        'src/shop/defs/summarize/defs.yaml',
        'src/shop/defs/extract/extract.py',
      ]),
    );
    // The scaffold writes no script: the designer writes a starter that materializes the declared asset.
    const starter = readFileSync(path.join(defs, 'extract', 'extract.py'), 'utf8');
    expect(starter).toContain('open_dagster_pipes');
    expect(starter).toContain('report_asset_materialization');
    writeScript('extract');
    writeScript('summarize');
    expect(first.problems).toEqual([]);

    const listed = await dgListDefs();
    expect(listed.find((a) => a.key === 'marts/orders_by_day')?.deps).toEqual(['raw/orders']);

    const p = await preview();
    expect(p.problems).toEqual([]);
    const byKey = Object.fromEntries(p.assets.map((a) => [a.key, a]));
    expect(byKey['marts/orders_by_day']).toMatchObject({ deps: ['raw/orders'], nodeId: 'b' });
    expect(byKey['raw/orders']).toMatchObject({ deps: [], nodeId: 'a' });
    expect((await preview()).warm).toBe(true);
    const check = (await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/check` })).json();
    expect(check).toMatchObject({ ok: true, problems: [] });
  });

  it('is incremental, and keeps hand-written comments through an edit', async () => {
    expect((await syncNow()).changed).toEqual([]);
    const file = path.join(defs, 'extract', 'defs.yaml');
    writeFileSync(file, `# Owned by the data team: do not remove\n${readFileSync(file, 'utf8')}`);
    await save({
      nodes: [
        scriptNode('a', 'extract', 'raw/orders', { description: 'Orders from the shop API' }),
        scriptNode('b', 'summarize', 'marts/orders_by_day'),
      ],
      edges: [{ id: 'e1', source: 'a', target: 'b' }],
    });
    const second = await syncNow();
    expect(second.changed).toEqual(['src/shop/defs/extract/defs.yaml']);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# Owned by the data team: do not remove');
    expect(text).toContain('description: Orders from the shop API');
    const p = await preview();
    expect(p.assets.find((a) => a.key === 'raw/orders')?.description).toBe('Orders from the shop API');
  });

  it('answers a preview that was waiting when its inspection process was restarted (a library added)', async () => {
    // What adding a dbt node does: the environment changes and the warm process is stopped, maybe mid-preview.
    const inspector = t.app.services.inspector;
    for (const delay of [0, 1000]) {
      inspector.stop(root);
      const pending = inspector.inspect(root); // a cold process: it needs seconds before it can answer
      await new Promise((resolve) => setTimeout(resolve, delay));
      inspector.stop(root);
      const answer = await pending;
      expect(answer.problems).toEqual([]);
      expect(answer.assets.map((a) => a.key).sort()).toEqual(['marts/orders_by_day', 'raw/orders']);
    }
  });

  it('puts a broken attribute on its node with file and line', async () => {
    const broken = scriptNode('b', 'summarize', 'marts/orders_by_day');
    broken.data.attributes.not_a_field = 3;
    await save({
      nodes: [scriptNode('a', 'extract', 'raw/orders'), broken],
      edges: [{ id: 'e1', source: 'a', target: 'b' }],
    });
    const result = await syncNow();
    const problem = result.problems.find((p) => p.nodeId === 'b');
    expect(problem).toBeDefined();
    expect(problem!.file).toBe('src/shop/defs/summarize/defs.yaml');
    expect(problem!.line).toBeGreaterThan(0);
    expect(problem!.message).toContain('not_a_field');
    expect(problem!.hint).toContain('Remove the unknown field');
    expect(problem!.field).toBe('not_a_field');

    // dg check defs, on demand, agrees and names the same node and line.
    const check = (await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/check` })).json();
    expect(check.ok).toBe(false);
    expect(check.problems.find((p: { nodeId?: string }) => p.nodeId === 'b')).toMatchObject({
      file: 'src/shop/defs/summarize/defs.yaml',
      line: expect.any(Number),
      message: expect.stringContaining('not_a_field'),
    });
  });

  it('shows the generated files read-only, and nothing outside the project or in its environment', async () => {
    const list = (
      await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/files` })
    ).json() as Array<{ path: string }>;
    const paths = list.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'pyproject.toml',
        'src/shop/defs/extract/defs.yaml',
        'src/shop/definitions.py',
      ]),
    );
    expect(
      paths.some((p) => p.startsWith('.venv/') || p.startsWith('.designer/') || p.includes('__pycache__')),
    ).toBe(false);
    writeFileSync(path.join(root, '.env'), 'API_TOKEN=very-secret-value\n');
    symlinkSync('/etc', path.join(root, 'escape'));
    const again = (
      await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/files` })
    ).json() as Array<{ path: string }>;
    expect(again.map((f) => f.path)).not.toContain('.env');
    const file = await t.app.inject({
      method: 'GET',
      url: `/api/projects/${project.id}/files/src/shop/defs/extract/defs.yaml`,
    });
    expect(file.json()).toMatchObject({
      path: 'src/shop/defs/extract/defs.yaml',
      content: expect.stringContaining('dagster.PythonScriptComponent'),
    });
    for (const bad of [
      '..%2F..%2Fetc%2Fpasswd',
      '%2Fetc%2Fpasswd',
      '.venv/pyvenv.cfg',
      '.env',
      'escape/hostname',
      'src/..%2F..%2F..%2Fx',
      '-rf',
    ]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/files/${bad}` });
      expect([400, 404], `${bad}: ${res.body}`).toContain(res.statusCode);
      expect(res.body).not.toContain('very-secret-value');
      expect(res.body).not.toContain('root:');
    }
  });

  it('renames and deletes folders with their nodes', async () => {
    await save({ nodes: [scriptNode('a', 'extract_orders', 'raw/orders')], edges: [] });
    const result = await syncNow();
    expect(existsSync(path.join(defs, 'extract_orders', 'defs.yaml'))).toBe(true);
    expect(existsSync(path.join(defs, 'extract'))).toBe(false);
    // The node's script path changed with its name (extract.py → extract_orders.py): the file was moved, not
    // written again beside the old one.
    expect(existsSync(path.join(defs, 'extract_orders', 'extract_orders.py'))).toBe(true);
    expect(existsSync(path.join(defs, 'extract_orders', 'extract.py'))).toBe(false);
    expect(existsSync(path.join(defs, 'summarize'))).toBe(false);
    expect(result.problems).toEqual([]);

    // Deleting a node puts its folder aside; the node coming back (undo) brings the user's script back with it.
    writeFileSync(path.join(defs, 'extract_orders', 'extract_orders.py'), '# written by hand\n');
    await save({ nodes: [], edges: [] });
    await syncNow();
    expect(existsSync(path.join(defs, 'extract_orders'))).toBe(false);
    await save({ nodes: [scriptNode('a', 'extract_orders', 'raw/orders')], edges: [] });
    const restored = await syncNow();
    expect(restored.steps).toContain('restore extract_orders/ as it was when the node was deleted');
    expect(readFileSync(path.join(defs, 'extract_orders', 'extract_orders.py'), 'utf8')).toBe(
      '# written by hand\n',
    );
    expect(restored.problems).toEqual([]);
  });

  it('previews a dbt + DuckDB project with dbt lineage, and an edge into it reaches only its roots', async () => {
    cpSync(path.join(REPO_ROOT, 'fixtures', 'dbt_shop'), path.join(root, 'dbt_shop'), { recursive: true });
    const dbt = componentNode('d', 'shop_dbt', 'dagster_dbt.DbtProjectComponent', {
      project: '{{ context.project_root }}/dbt_shop',
    });
    await save({
      nodes: [scriptNode('a', 'extract_orders', 'raw/orders'), dbt],
      edges: [{ id: 'e2', source: 'a', target: 'd' }],
    });
    const p = await preview();
    expect(p.problems).toEqual([]);
    const byKey = Object.fromEntries(p.assets.map((a) => [a.key, a]));
    expect(Object.keys(byKey).sort()).toEqual([
      'customer_orders',
      'customers',
      'orders',
      'payments_by_method',
      'raw/orders',
      'raw_customers',
      'raw_orders',
      'raw_payments',
      'stg_customers',
      'stg_orders',
      'stg_payments',
      'top_customers',
      'unpaid_orders',
    ]);
    expect(byKey.raw_orders!.deps).toEqual(['raw/orders']);
    expect(byKey.raw_customers!.deps).toEqual(['raw/orders']);
    expect(byKey.stg_orders!.deps).toEqual(['raw_orders']);
    expect(byKey.customer_orders!.deps.sort()).toEqual(['raw_customers', 'stg_orders']);
    expect(byKey.customer_orders!.nodeId).toBe('d');
    const listed = await dgListDefs();
    expect(listed.find((a) => a.key === 'stg_orders')?.deps).toEqual(['raw_orders']);
  });

  it('connects a script to a TemplatedSql + DuckDB component: the SQL asset depends on the script asset', async () => {
    // A DuckDB connection is a project component (dagster-duckdb 0.29.27 ships none): the designer adds it.
    const added = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/components/duckdb-connection`,
    });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({
      componentType: 'shop.components.duckdb_connection.DuckDBConnectionComponent',
      written: ['src/shop/components/__init__.py', 'src/shop/components/duckdb_connection.py'],
    });
    const catalog = await t.app.inject({ url: `/api/components?project=${project.id}` });
    expect(catalog.json().components.map((c: { type: string }) => c.type)).toContain(
      'shop.components.duckdb_connection.DuckDBConnectionComponent',
    );
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/components/duckdb-connection`,
    });
    expect(again.json()).toMatchObject({ written: [], installed: [] });

    const warehouse = componentNode(
      'w',
      'warehouse',
      'shop.components.duckdb_connection.DuckDBConnectionComponent',
      {
        database: 'warehouse.duckdb',
      },
    );
    const summary = componentNode('s', 'orders_summary', 'dagster.TemplatedSqlComponent', {
      connection: "{{ context.load_component('warehouse') }}",
      sql_template: 'create or replace table orders_summary as select 1 as orders',
      assets: [{ key: 'marts/orders_summary' }],
    });
    await save({
      nodes: [scriptNode('a', 'extract_orders', 'raw/orders'), warehouse, summary],
      edges: [{ id: 'e3', source: 'a', target: 's' }],
    });
    const p = await preview();
    expect(p.problems).toEqual([]);
    const byKey = Object.fromEntries(p.assets.map((a) => [a.key, a]));
    expect(byKey['marts/orders_summary']).toMatchObject({ deps: ['raw/orders'], nodeId: 's' });
    expect((await dgListDefs()).find((a) => a.key === 'marts/orders_summary')?.deps).toEqual(['raw/orders']);
  });
});
