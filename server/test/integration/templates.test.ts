// Project templates on the real toolchain: each creates a project whose workspace `dg check defs` accepts and whose
// preview has no problem, offline; the Python → dbt → SQL pipeline also runs to the end on the local instance, and
// the partitioned one loads a day (`dg launch --partition`) that its SQL step then sums.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineTemplateSummary, ProjectFile } from '@designer/shared';
import { makeTestApp, type TestApp } from '../helpers.js';

let t: TestApp;
const projects = new Map<string, ProjectFile>();

beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true });
  await t.app.services.catalogEnv.prepare();
  // All the workspaces are created side by side (create-dagster, uv sync, the template's libraries and files).
  const templates = (await t.app.inject({ url: '/api/templates' })).json() as PipelineTemplateSummary[];
  for (const template of templates) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      payload: { name: `From ${template.id}`, template: template.id },
    });
    expect(res.statusCode, res.body).toBe(201);
    projects.set(template.id, res.json());
  }
  await t.app.services.workspaces.settle();
}, 900_000);
afterAll(async () => {
  t?.app.services.inspector.stop();
  await t?.app.services.instances.stopAll();
  await t?.close();
});

const ready = (id: string) => t.app.services.workspaces.status(id);
async function checkAndPreview(project: ProjectFile) {
  expect(ready(project.id).status, ready(project.id).message).toBe('ready');
  const check = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/check` });
  expect(check.statusCode, check.body).toBe(200);
  expect(check.json()).toMatchObject({ ok: true, problems: [] });
  const preview = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` });
  expect(preview.statusCode, preview.body).toBe(200);
  const result = preview.json() as {
    problems: unknown[];
    assets: Array<{ key: string; deps: string[]; nodeId?: string }>;
  };
  expect(result.problems).toEqual([]);
  return Object.fromEntries(result.assets.map((a) => [a.key, a]));
}

describe('project templates', () => {
  it('lists the templates with a one-line description each', async () => {
    const list = (await t.app.inject({ url: '/api/templates' })).json() as PipelineTemplateSummary[];
    expect(list.map((x) => x.id)).toEqual(['empty', 'duckdb-sql', 'python-dbt-sql', 'partitioned-daily']);
    for (const x of list) expect(x.description).toMatch(/^[^\n]{10,140}$/);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      payload: { name: 'Nope', template: 'no-such' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('unknown_template');
  });

  it('empty: a project with nothing in it that loads', async () => {
    const assets = await checkAndPreview(projects.get('empty')!);
    expect(Object.keys(assets)).toEqual([]);
  }, 600_000);

  it('DuckDB + SQL: raw orders, then revenue per day, on the project DuckDB connection', async () => {
    const project = projects.get('duckdb-sql')!;
    const assets = await checkAndPreview(project);
    expect(assets.orders_by_day).toMatchObject({ deps: ['raw_orders'] });
    expect(assets.raw_orders).toMatchObject({ deps: [] });
    const root = ready(project.id).path;
    expect(existsSync(path.join(root, 'src', 'from_duckdb_sql', 'components', 'duckdb_connection.py'))).toBe(
      true,
    );
  }, 600_000);

  it('Python → dbt → SQL: the dbt models read the script asset, the report reads dbt, and it runs', async () => {
    const project = projects.get('python-dbt-sql')!;
    const assets = await checkAndPreview(project);
    expect(assets.stg_orders).toMatchObject({ deps: ['raw_orders'] });
    expect(assets.orders_by_day).toMatchObject({ deps: ['stg_orders'] });
    expect(assets.daily_report!.deps.sort()).toEqual(['orders_by_day', 'stg_orders']);
    const root = ready(project.id).path;
    expect(readFileSync(path.join(root, '.env'), 'utf8')).toContain(`WAREHOUSE_DUCKDB=`);

    const run = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/runs`,
      payload: { wait: true },
    });
    expect(run.statusCode, run.body).toBeLessThan(300);
    expect(run.json().status ?? run.json().run?.status, run.body).toBe('SUCCESS');
    expect(existsSync(path.join(root, 'warehouse.duckdb'))).toBe(true);
  }, 900_000);

  it('Partitioned daily load: a daily-partitioned script asset, one day loaded, then summed by SQL', async () => {
    const project = projects.get('partitioned-daily')!;
    const assets = await checkAndPreview(project);
    expect(assets.revenue_by_day).toMatchObject({ deps: ['daily_orders'] });
    const root = ready(project.id).path;
    const defsYaml = readFileSync(
      path.join(root, 'src', 'from_partitioned_daily', 'defs', 'daily_orders', 'defs.yaml'),
      'utf8',
    );
    expect(defsYaml).toMatch(/partitions_def:\s+type: daily\s+start_date: '?2026-01-01'?/);
    const { cli } = t.app.services;
    const launched = await cli.run(
      cli.venvBin(root, 'dg'),
      ['launch', '--assets', 'daily_orders', '--partition', '2026-01-02'],
      { cwd: root, timeoutMs: 600_000, env: cli.venvEnv(root) },
    );
    expect(launched.exitCode, launched.stderr.slice(-2000)).toBe(0);
    const run = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/runs`,
      payload: { assets: ['revenue_by_day'], wait: true },
    });
    expect(run.statusCode, run.body).toBeLessThan(300);
    expect(run.json().status ?? run.json().run?.status, run.body).toBe('SUCCESS');
  }, 900_000);
});
