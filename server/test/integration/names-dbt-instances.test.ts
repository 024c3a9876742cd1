// The first hour, on the real toolchain: a renamed node's default key, script and starter SQL follow its name
// (sync and `dg list defs`), dbt nodes get a hint for a relative project path and their profile's env vars listed, and
// no Dagster instance outlives the designer (stopped while starting; found and stopped after a crash).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultAttributes,
  followRename,
  type GraphNode,
  type Problem,
  type ProjectFile,
} from '@designer/shared';
import { buildApp } from '../../src/app.js';
import { DAGSTER_HOME_DIR, groupAlive, PID_FILE } from '../../src/services/dagster-instance.js';
import { dbtRunDir } from '../../src/services/dbt-project.js';
import { readDefsYaml } from '../../src/services/defs-yaml.js';
import { componentNode, scriptNode } from '../helpers.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'designer-first-hour-'));
const apps: FastifyInstance[] = [];
let app: FastifyInstance;
let project: ProjectFile;
let root: string;

const newApp = async () => {
  const built = await buildApp({ dataDir, createWorkspaces: true, prepareCatalog: false });
  await built.ready();
  apps.push(built);
  return built;
};

async function save(graph: { nodes: GraphNode[]; edges: unknown[] }, on = app): Promise<void> {
  const current = (await on.inject({ method: 'GET', url: `/api/projects/${project.id}` })).json();
  const res = await on.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: { version: current.version, graph },
  });
  expect(res.statusCode, res.body).toBe(200);
}
const sync = async () => {
  const res = await app.inject({ method: 'POST', url: `/api/projects/${project.id}/sync` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    changed: string[];
    problems: Array<{ nodeId?: string; message: string; hint?: string }>;
  };
};
const defs = () => path.join(root, 'src', 'first_hour', 'defs');

beforeAll(async () => {
  app = await newApp();
  await app.services.catalogEnv.prepare();
  project = (
    await app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'First hour' } })
  ).json();
  await app.services.workspaces.settle();
  root = app.services.workspaces.requireReady(project.id);
});
afterAll(async () => {
  for (const a of apps.reverse()) await a.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a renamed node', () => {
  it('takes its default key and script file along; the user’s own choices stay', async () => {
    // A fresh node, as the palette makes it: its key and script are derived from its label.
    const fresh = componentNode(
      'n1',
      'python_script',
      'dagster.PythonScriptComponent',
      defaultAttributes('dagster.PythonScriptComponent', 'python_script'),
    );
    await save({ nodes: [fresh], edges: [] });
    expect((await sync()).problems).toEqual([]);
    const oldScript = path.join(defs(), 'python_script', 'python_script.py');
    expect(existsSync(oldScript)).toBe(true);
    const edited = `${readFileSync(oldScript, 'utf8')}# the user's line\n`;
    writeFileSync(oldScript, edited);

    // The rename as the canvas does it (shared followRename).
    const renamed = {
      ...fresh,
      data: {
        ...fresh.data,
        label: 'load_orders',
        attributes: followRename(fresh.data.attributes, 'python_script', 'load_orders'),
      },
    };
    expect(renamed.data.attributes).toEqual({
      assets: [{ key: 'load_orders' }],
      execution: { path: 'load_orders.py' },
    });
    await save({ nodes: [renamed], edges: [] });
    const result = await sync();
    expect(result.problems).toEqual([]);
    const script = path.join(defs(), 'load_orders', 'load_orders.py');
    expect(readFileSync(script, 'utf8')).toBe(edited); // moved, not replaced by a new starter
    expect(existsSync(path.join(defs(), 'load_orders', 'python_script.py'))).toBe(false);
    expect(existsSync(path.join(defs(), 'python_script'))).toBe(false);
    const listed = await app.services.cli.listDefs(root);
    expect(listed.exitCode, listed.stderr).toBe(0);
    // dg names the field `key` or `asset_key` depending on its version.
    const keys = (
      JSON.parse(listed.stdout) as { assets: Array<{ key?: string; asset_key?: string }> }
    ).assets.map((a) => a.key ?? a.asset_key);
    expect(keys).toEqual(['load_orders']);

    // A key and a file the user chose are theirs: a rename leaves them as they are.
    const chosen = { assets: [{ key: 'sales/orders' }], execution: { path: 'load_orders.py' } };
    expect(followRename(chosen, 'load_orders', 'orders_job').assets).toEqual([{ key: 'sales/orders' }]);
    expect(followRename({ execution: { path: 'main.py' } }, 'load_orders', 'orders_job')).toEqual({
      execution: { path: 'main.py' },
    });
  });

  it('takes its untouched starter SQL along: the table follows the name until the user edits the file', async () => {
    const type = 'dagster.TemplatedSqlComponent';
    const sql = componentNode('s1', 'templated_sql', type, defaultAttributes(type, 'templated_sql'));
    await save({ nodes: [sql], edges: [] });
    await sync();
    const starter = path.join(defs(), 'templated_sql', 'templated_sql.sql');
    expect(readFileSync(starter, 'utf8')).toContain('create or replace table templated_sql as');
    const rename = (from: GraphNode, label: string): GraphNode => ({
      ...from,
      data: { ...from.data, label, attributes: followRename(from.data.attributes, from.data.label, label) },
    });
    const orders = rename(sql, 'orders');
    await save({ nodes: [orders], edges: [] });
    const renamed = await sync();
    const file = path.join(defs(), 'orders', 'orders.sql');
    expect(renamed.changed).toContain(path.relative(root, file));
    expect(readFileSync(file, 'utf8')).toContain('create or replace table orders as');
    expect(readFileSync(file, 'utf8')).not.toContain('templated_sql');
    // The user's SQL is theirs: the next rename moves the file and keeps every byte.
    const edited = readFileSync(file, 'utf8').replace('select 1 as id', 'select 42 as id');
    writeFileSync(file, edited);
    await save({ nodes: [rename(orders, 'customers')], edges: [] });
    await sync();
    expect(readFileSync(path.join(defs(), 'customers', 'customers.sql'), 'utf8')).toBe(edited);
  });

  it('is followed by its downstream nodes: their deps name its new key, a hand edit of the key too, and a removed edge drops the dep but not the user’s own', async () => {
    const a = componentNode(
      'ua',
      'upstream_a',
      'dagster.PythonScriptComponent',
      defaultAttributes('dagster.PythonScriptComponent', 'upstream_a'),
    );
    // B has a dep the user typed by hand (nothing defines it: an outside asset on purpose).
    const b = componentNode('db', 'downstream_b', 'dagster.PythonScriptComponent', {
      assets: [{ key: 'downstream_b', deps: ['raw/manual'] }],
      execution: { path: 'downstream_b.py' },
    });
    const edge = { id: 'e_ab', source: 'ua', target: 'db' };
    // B's deps in the preview and in `dg list defs --json`, and the deps no asset defines.
    const depsOfB = async () => {
      const res = await app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` });
      expect(res.statusCode, res.body).toBe(200);
      const preview = res.json() as { assets: Array<{ key: string; deps: string[] }> };
      const listed = await app.services.cli.listDefs(root);
      expect(listed.exitCode, listed.stderr).toBe(0);
      const dg = (
        JSON.parse(listed.stdout) as {
          assets: Array<{ asset_key: string; dependency_keys?: string[]; is_executable: boolean }>;
        }
      ).assets.map((x) => ({ key: x.asset_key, deps: x.dependency_keys ?? [], defined: x.is_executable }));
      // An outside asset: a dep no component defines (dg may list it as a non-executable asset).
      const keys = new Set(dg.filter((x) => x.defined).map((x) => x.key));
      return {
        preview: [...(preview.assets.find((x) => x.key === 'downstream_b')?.deps ?? [])].sort(),
        dg: [...(dg.find((x) => x.key === 'downstream_b')?.deps ?? [])].sort(),
        outside: [...new Set(dg.flatMap((x) => x.deps).filter((d) => !keys.has(d)))].sort(),
      };
    };

    await save({ nodes: [a, b], edges: [edge] });
    expect(await depsOfB()).toEqual({
      preview: ['raw/manual', 'upstream_a'],
      dg: ['raw/manual', 'upstream_a'],
      outside: ['raw/manual'],
    });

    // Rename A (its key was the default, so it follows the name): B's dep follows.
    const renamed = {
      ...a,
      data: {
        ...a.data,
        label: 'source_a',
        attributes: followRename(a.data.attributes, 'upstream_a', 'source_a'),
      },
    };
    await save({ nodes: [renamed, b], edges: [edge] });
    expect(await depsOfB()).toEqual({
      preview: ['raw/manual', 'source_a'],
      dg: ['raw/manual', 'source_a'],
      outside: ['raw/manual'],
    });

    // The user types another key into A: B's dep follows again.
    const keyed = {
      ...renamed,
      data: {
        ...renamed.data,
        attributes: { ...renamed.data.attributes, assets: [{ key: 'sales/orders' }] },
      },
    };
    await save({ nodes: [keyed, b], edges: [edge] });
    expect(await depsOfB()).toEqual({
      preview: ['raw/manual', 'sales/orders'],
      dg: ['raw/manual', 'sales/orders'],
      outside: ['raw/manual'],
    });

    // The edge goes: its dep leaves B's defs.yaml, the one the user typed stays.
    await save({ nodes: [keyed, b], edges: [] });
    expect(await depsOfB()).toEqual({ preview: ['raw/manual'], dg: ['raw/manual'], outside: ['raw/manual'] });
    expect(readFileSync(path.join(defs(), 'downstream_b', 'defs.yaml'), 'utf8')).not.toMatch(
      /sales\/orders|upstream_a|source_a/,
    );
  });
});

describe('dbt nodes', () => {
  it('explain where a relative project path resolved and offer {{ context.project_root }}/…; list the profile’s env vars', async () => {
    cpSync(path.join(REPO_ROOT, 'fixtures', 'dbt_shop'), path.join(root, 'dbt_shop'), { recursive: true });
    // The profile reads a required variable too (the fixture's own has a default).
    const profiles = path.join(root, 'dbt_shop', 'profiles.yml');
    writeFileSync(
      profiles,
      readFileSync(profiles, 'utf8').replace('threads: 1', 'threads: "{{ env_var(\'DBT_THREADS\') }}"'),
    );
    const dbt = componentNode('d', 'shop_dbt', 'dagster_dbt.DbtProjectComponent', { project: 'dbt_shop' });
    await save({ nodes: [dbt], edges: [] });
    const wrong = await sync();
    const hint = wrong.problems.find((p) => p.nodeId === 'd' && /dbt_project\.yml/.test(p.message));
    expect(hint, JSON.stringify(wrong.problems)).toBeDefined();
    expect(hint!.message).toContain('src/first_hour/defs/shop_dbt/dbt_shop');
    expect(hint!.hint).toContain('"{{ context.project_root }}/dbt_shop"');

    await save({
      nodes: [
        componentNode('d', 'shop_dbt', 'dagster_dbt.DbtProjectComponent', {
          project: '{{ context.project_root }}/dbt_shop',
        }),
      ],
      edges: [],
    });
    const env = (
      await app.inject({ method: 'GET', url: `/api/projects/${project.id}/env` })
    ).json() as Array<{
      name: string;
      required: boolean;
      usedBy: string[];
      set: boolean;
    }>;
    expect(env).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'DBT_SHOP_DUCKDB', required: false, usedBy: ['d'], set: false }),
        expect.objectContaining({ name: 'DBT_THREADS', required: true, usedBy: ['d'], set: false }),
      ]),
    );
    const right = await sync();
    expect(right.problems.some((p) => /has no dbt_project\.yml/.test(p.message))).toBe(false);
    expect(right.problems).toContainEqual(
      expect.objectContaining({ nodeId: 'd', message: expect.stringContaining('DBT_THREADS') }),
    );
  });
});

describe('a script → dbt edge', () => {
  it('orders the run: the script step ends before the dbt step starts; dbt writes the DuckDB file the warning names', async () => {
    // The fixture's own profile again (the test above made it read a required variable).
    cpSync(
      path.join(REPO_ROOT, 'fixtures', 'dbt_shop', 'profiles.yml'),
      path.join(root, 'dbt_shop', 'profiles.yml'),
    );
    const script = scriptNode('s', 'feed', 'shop_feed');
    const dbt = componentNode('d', 'shop_dbt', 'dagster_dbt.DbtProjectComponent', {
      project: '{{ context.project_root }}/dbt_shop',
    });
    await save({ nodes: [script, dbt], edges: [{ id: 'e', source: 's', target: 'd' }] });
    await sync();
    // The script takes a moment, so a dbt step that does not wait for it starts before it ends.
    writeFileSync(
      path.join(defs(), 'feed', 'feed.py'),
      'import time\nfrom dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    time.sleep(2)\n    context.log.info("fed")\n',
    );
    const preview = await app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` });
    expect(preview.json().problems.filter((p: Problem) => p.severity === 'error')).toEqual([]);
    // The edge is a dependency of dbt's roots (the seeds), and dbt's own lineage stays.
    const assets = preview.json().assets as Array<{ key: string; deps: string[] }>;
    expect(assets.find((a) => a.key === 'raw_orders')?.deps).toEqual(['shop_feed']);
    expect(assets.find((a) => a.key === 'stg_orders')?.deps).toEqual(['raw_orders']);
    const res = await app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/runs`,
      payload: { wait: true },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const run = res.json() as { runId: string; status: string };
    const events: Array<{ type: string; stepKey: string | null; timestamp: string; message: string }> = [];
    let cursor: string | undefined;
    for (;;) {
      const page = (
        await app.inject({
          method: 'GET',
          url: `/api/runs/${run.runId}/logs${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
        })
      ).json();
      events.push(...page.events);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(run.status, JSON.stringify(events.filter((e) => /Failure/.test(e.type)))).toBe('SUCCESS');
    const at = (type: string, step: RegExp) =>
      Number(events.find((e) => e.type === type && step.test(e.stepKey ?? ''))?.timestamp);
    const scriptEnd = at('ExecutionStepSuccessEvent', /feed/);
    const dbtStart = at('ExecutionStepStartEvent', /shop_dbt|dbt/);
    expect(scriptEnd, JSON.stringify(events.map((e) => [e.type, e.stepKey]))).toBeGreaterThan(0);
    expect(dbtStart).toBeGreaterThan(0);
    expect(dbtStart).toBeGreaterThanOrEqual(scriptEnd);
    // dbt ran in dagster-dbt's copy of the project: its relative DuckDB path landed there, as the warning says.
    const dbtDir = path.join(root, 'dbt_shop');
    expect(existsSync(path.join(dbtRunDir(dbtDir, root, 'first_hour'), 'shop.duckdb'))).toBe(true);
    expect(existsSync(path.join(dbtDir, 'shop.duckdb'))).toBe(false);
    await app.services.instances.stop(project.id);
  }, 600_000);
});

describe('a dbt → script edge', () => {
  it('follows a change of dbt’s keys (a key prefix): the script’s deps name the new keys, in the preview and in its defs.yaml', async () => {
    cpSync(path.join(REPO_ROOT, 'fixtures', 'dbt_shop'), path.join(root, 'dbt_shop'), { recursive: true });
    const dbt = componentNode('d', 'shop_dbt', 'dagster_dbt.DbtProjectComponent', {
      project: '{{ context.project_root }}/dbt_shop',
    });
    const report = scriptNode('r', 'report', 'shop_report');
    const edges = [{ id: 'e_dr', source: 'd', target: 'r' }];
    const preview = async () => {
      const res = await app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` });
      expect(res.statusCode, res.body).toBe(200);
      const assets = res.json().assets as Array<{ key: string; deps: string[]; nodeId?: string }>;
      return {
        dbtKeys: assets
          .filter((a) => a.nodeId === 'd')
          .map((a) => a.key)
          .sort(),
        reportDeps: [...(assets.find((a) => a.key === 'shop_report')?.deps ?? [])].sort(),
      };
    };
    await save({ nodes: [dbt, report], edges });
    const before = await preview();
    expect(before.dbtKeys).toContain('stg_orders');
    expect(before.reportDeps).toEqual(before.dbtKeys);

    // Only a load knows dbt's keys: sync must learn them again once the node changed.
    await save({
      nodes: [{ ...dbt, data: { ...dbt.data, translation: { key_prefix: 'shop' } } }, report],
      edges,
    });
    const after = await preview();
    expect(after.dbtKeys).toContain('shop/stg_orders');
    expect(after.reportDeps).toEqual(after.dbtKeys);
    // Dagster resolves an unprefixed dep to the one key ending in it, so the YAML itself must say the new keys.
    const written = readDefsYaml(readFileSync(path.join(defs(), 'report', 'defs.yaml'), 'utf8')) as {
      attributes: { assets: Array<{ deps: string[] }> };
    };
    expect([...written.attributes.assets[0]!.deps].sort()).toEqual(after.dbtKeys);
  }, 300_000);
});

describe('Dagster instances', () => {
  const pidFile = () => path.join(root, DAGSTER_HOME_DIR, PID_FILE);
  const waitForPid = async (): Promise<number> => {
    const deadline = Date.now() + 30_000;
    while (!existsSync(pidFile())) {
      if (Date.now() > deadline) throw new Error('no pid file');
      await new Promise((r) => setTimeout(r, 100));
    }
    return (JSON.parse(readFileSync(pidFile(), 'utf8')) as { pid: number }).pid;
  };

  it('are stopped by a shutdown while they are still starting', async () => {
    await save({ nodes: [], edges: [] });
    const res = await app.inject({ method: 'POST', url: `/api/projects/${project.id}/instance` });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().status).toBe('starting');
    const pid = await waitForPid();
    expect(groupAlive(pid)).toBe(true);
    expect(app.services.instances.state(project.id).status).toBe('starting');
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    expect(groupAlive(pid)).toBe(false);
    expect(existsSync(pidFile())).toBe(false);
  });

  it('left running by a designer that crashed are found and stopped when the next one starts', async () => {
    const crashed = await newApp(); // it will be abandoned, as a kill -9 would leave it
    await crashed.inject({ method: 'POST', url: `/api/projects/${project.id}/instance` });
    const pid = await waitForPid();
    expect(groupAlive(pid)).toBe(true);
    const next = await newApp(); // same data folder: start-up reads the pid file and checks the process
    expect(groupAlive(pid)).toBe(false);
    expect(existsSync(pidFile())).toBe(false);
    expect(next.services.instances.state(project.id).status).toBe('stopped');
  });
});
