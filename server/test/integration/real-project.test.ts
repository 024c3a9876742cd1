// A real project (fixtures/shop_project: dbt component, Python assets using a resource defined elsewhere, checks,
// a job, schedules, a sensor) imported from a folder: the preview must equal `dg list defs --json` on the same
// workspace, exactly, say where each definition is defined, refresh dbt's state only when its inputs change, and
// locate YAML and Python errors at their file and line.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewResult, ProjectFile } from '@designer/shared';
import { filesBelow, zipEntries } from '../hand-over.js';
import { makeTestApp, type TestApp } from '../helpers.js';

const FIXTURE = path.resolve(import.meta.dirname, '..', '..', '..', 'fixtures', 'shop_project');

let t: TestApp;
let project: ProjectFile;
let root: string;
let defs: string;

async function preview(): Promise<PreviewResult> {
  const res = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

interface DgDefs {
  assets: Array<{
    asset_key: string;
    dependency_keys: string[];
    group_name?: string;
    kinds?: string[];
    description?: string;
    owners?: Array<{ team?: string; email?: string }>;
    tags?: Array<{ key: string; value: string }>;
    is_executable: boolean;
  }>;
  asset_checks: Array<{
    key: string;
    asset_key: string;
    name: string;
    additional_deps: string[];
    description?: string;
  }>;
  jobs: Array<{ name: string; description?: string }>;
  schedules: Array<{ name: string; cron_schedule: string }>;
  sensors: Array<{ name: string }>;
  resources: Array<{ name: string; type: string }>;
}

/** Both answers in one shape: what `dg list defs --json` says, field for field. */
function fromDg(d: DgDefs) {
  return {
    assets: d.assets.map((a) => ({
      key: a.asset_key,
      deps: [...a.dependency_keys].sort(),
      group: a.group_name ?? null,
      kinds: [...(a.kinds ?? [])].sort(),
      description: a.description ?? null,
      owners: (a.owners ?? []).map((o) => (o.team ? `team:${o.team}` : o.email!)),
      tags: Object.fromEntries((a.tags ?? []).map((x) => [x.key, x.value])),
      executable: a.is_executable,
    })),
    checks: d.asset_checks
      .map((c) => ({
        key: c.key,
        asset: c.asset_key,
        name: c.name,
        deps: c.additional_deps,
        description: c.description ?? null,
      }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    jobs: d.jobs
      .map((j) => ({ name: j.name, description: j.description ?? null }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    schedules: d.schedules
      .map((s) => ({ name: s.name, cron: s.cron_schedule }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    sensors: d.sensors.map((s) => s.name).sort(),
    resources: d.resources
      .map((r) => ({ key: r.name, type: r.type }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
}

function fromPreview(p: PreviewResult) {
  return {
    assets: p.assets.map((a) => ({
      key: a.key,
      deps: [...a.deps].sort(),
      group: a.group_name ?? null,
      kinds: [...(a.kinds ?? [])].sort(),
      description: a.description ?? null,
      owners: a.owners ?? [],
      tags: a.tags ?? {},
      executable: a.is_executable,
    })),
    checks: p.checks
      .map((c) => ({
        key: c.key,
        asset: c.asset,
        name: c.name,
        deps: c.additional_deps,
        description: c.description ?? null,
      }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    jobs: p.jobs.map((j) => ({ name: j.name, description: j.description ?? null })),
    schedules: p.schedules.map((s) => ({ name: s.name, cron: s.cron_schedule })),
    sensors: p.sensors.map((s) => s.name),
    resources: p.resources.map((r) => ({ key: r.key, type: r.type })),
  };
}

beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true });
  await t.app.services.catalogEnv.prepare();
  const created = (
    await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Shop' } })
  ).json();
  await t.app.services.workspaces.settle();
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/projects/${created.id}/import`,
    payload: { source: 'folder', path: FIXTURE },
  });
  expect(res.statusCode, res.body).toBe(200);
  project = res.json().project;
  root = t.app.services.workspaces.requireReady(project.id);
  defs = path.join(root, 'src', 'shop_project', 'defs');
}, 600_000);
afterAll(async () => {
  t?.app.services.inspector.stop();
  await t?.close();
});

describe('a real project, as Dagster sees it', () => {
  it('previews exactly what `dg list defs --json` lists, each definition where it is defined, with no problem where `dg check defs` passes', async () => {
    const p = await preview();
    const listed = await t.app.services.cli.listDefs(root);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const truth = fromDg(JSON.parse(listed.stdout) as DgDefs);
    expect(fromPreview(p)).toEqual(truth);
    // Nothing twice, nothing missing, and the real thing: 12 dbt assets + 3 Python, 5 dbt tests + 2 Python checks.
    expect(new Set(p.assets.map((a) => a.key)).size).toBe(p.assets.length);
    expect(p.assets).toHaveLength(15);
    expect(p.checks).toHaveLength(7);
    expect(p.schedules.find((s) => s.name === 'refresh_raw_schedule')).toMatchObject({
      cron_schedule: '0 6 * * *',
      execution_timezone: 'Europe/Berlin',
      job_name: 'refresh_raw',
    });
    expect(p.checks.find((c) => c.name === 'order_checks')).toMatchObject({
      asset: 'raw/orders',
      blocking: true,
    });
    expect(p.sensors[0]).toMatchObject({ name: 'new_orders', job_names: ['refresh_raw'] });
    // What the job, the schedules and the sensor materialize (not in `dg list defs`): the canvas draws them, and the
    // checks defined apart from their assets, as read-only relations between those nodes (web relation-edges.ts).
    const keysOf = (items: Array<{ name: string; asset_keys?: string[] }>, name: string) =>
      items.find((i) => i.name === name)?.asset_keys ?? [];
    const raw = keysOf(p.jobs, 'refresh_raw');
    expect(raw).toEqual(expect.arrayContaining(['raw/customers', 'raw/orders']));
    expect(raw.every((k) => k.startsWith('raw/'))).toBe(true);
    expect(keysOf(p.schedules, 'refresh_raw_schedule')).toEqual(raw);
    expect(keysOf(p.sensors, 'new_orders')).toEqual(raw);
    expect(keysOf(p.schedules, 'daily')).toEqual(expect.arrayContaining(['raw/orders', 'stg_orders']));
    const nodeOf = (key: string) => p.assets.find((a) => a.key === key)?.nodeId;
    const orderCheck = p.checks.find((c) => c.name === 'order_checks')!;
    expect(orderCheck.nodeId).toBeDefined();
    expect(nodeOf('raw/orders')).toBeDefined();
    expect(orderCheck.nodeId).not.toBe(nodeOf('raw/orders'));

    const check = await t.app.services.cli.checkDefs(root);
    expect(check.exitCode, check.stderr).toBe(0);
    // defs/assets/ needs the duckdb resource of defs/resources.py: built alone it would miss it; that is no error.
    expect(p.problems).toEqual([]);

    const at = (items: Array<{ defined_at?: { path: string; document?: number } }>) =>
      items.map((i) => i.defined_at?.path);
    const byKey = Object.fromEntries(p.assets.map((a) => [a.key, a.defined_at?.path]));
    expect(byKey).toMatchObject({
      'raw/orders': 'assets/orders.py',
      'raw/customers': 'assets/customers.py',
      customer_report: 'assets/customers.py',
      stg_orders: 'transform/defs.yaml',
      unpaid_orders: 'transform/defs.yaml',
    });
    expect(at(p.assets)).not.toContain(undefined);
    expect(at(p.checks).sort()).toEqual([
      'checks/customer_checks.py',
      'checks/order_checks.py',
      ...Array(5).fill('transform/defs.yaml'),
    ]);
    expect(at(p.jobs)).toEqual(['schedules/jobs.py']);
    expect(at(p.schedules)).toEqual(['schedules/daily.py', 'schedules/jobs.py']);
    expect(at(p.sensors)).toEqual(['sensors/new_orders.py']);
    expect(at(p.resources)).toEqual(['resources.py']);
    expect(p.steps.map((s) => s.id)).toEqual(
      expect.arrayContaining(['sync', 'state:DbtProjectComponent[dbt_shop]', 'load']),
    );
  }, 600_000);

  it("refreshes dbt's state only when its inputs change, and never exports it", async () => {
    const stateStep = (p: PreviewResult) =>
      p.steps.find((s) => s.id === 'state:DbtProjectComponent[dbt_shop]');
    const unchanged = await preview();
    expect(stateStep(unchanged)?.status).toBe('skipped');
    expect(unchanged.warm).toBe(true);

    const model = path.join(root, 'dbt_shop', 'models', 'late_orders.sql');
    writeFileSync(model, "select * from {{ ref('unpaid_orders') }}\n");
    try {
      // The refresh shows as a step while it runs (the progress stream), then in the answer's steps.
      const running = preview();
      await new Promise((r) => setTimeout(r, 300));
      const events = await t.app.inject({ url: `/api/projects/${project.id}/preview/events` });
      const changed = await running;
      expect(events.body).toContain('"label":"Refresh the state of DbtProjectComponent[dbt_shop]"');
      expect(events.body).toMatch(/event: end\ndata: [^\n]*"running":false[^\n]*\n\n$/);
      expect(stateStep(changed)?.status).toBe('done');
      expect(changed.assets.find((a) => a.key === 'late_orders')?.deps).toEqual(['unpaid_orders']);
      // The refresh runs dbt in the inspector's own process: what it made must be what Dagster makes.
      const listed = await t.app.services.cli.listDefs(root);
      expect(listed.exitCode, listed.stderr).toBe(0);
      expect(fromPreview(changed)).toEqual(fromDg(JSON.parse(listed.stdout) as DgDefs));
    } finally {
      rmSync(model);
    }
    const files = (await t.app.inject({ url: `/api/projects/${project.id}/files` })).json() as Array<{
      path: string;
    }>;
    expect(files.some((f) => f.path.includes('.local_defs_state'))).toBe(false);
  }, 600_000);

  it('exports the imported project byte for byte, README included, after previews', async () => {
    const res = await t.app.inject({ url: `/api/projects/${project.id}/export.zip` });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const { files } = zipEntries(res.rawPayload);
    const original = filesBelow(FIXTURE);
    expect([...files.keys()].sort()).toEqual([...original.keys(), 'dagster-designer.project.json'].sort());
    for (const [rel, bytes] of original) expect(files.get(rel)?.equals(bytes), rel).toBe(true);
  });

  it('locates a YAML syntax error at its file and line, and a Python error in a definitions module, showing the rest as a partial preview', async () => {
    const complete = await preview();
    expect(complete.partial).toBeUndefined();
    const folder = path.join(defs, 'broken');
    const yaml = path.join(folder, 'defs.yaml');
    rmSync(folder, { recursive: true, force: true });
    try {
      mkdirSync(folder);
      writeFileSync(yaml, 'type: dagster.PythonScriptComponent\nattributes:\n  assets: [\n    - key: a\n');
      const p = await preview();
      const problem = p.problems.find((x) => x.file === 'src/shop_project/defs/broken/defs.yaml');
      expect(problem, JSON.stringify(p.problems)).toBeDefined();
      expect(problem!.line).toBeGreaterThanOrEqual(3);
      expect(problem!.line).toBeLessThanOrEqual(5);
      // The rest of the project still shows, marked partial.
      expect(p.partial).toBe(true);
      expect(p.assets).toHaveLength(15);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }

    const module = path.join(defs, 'assets', 'returns.py');
    writeFileSync(module, 'import dagster as dg\n\nRATE = 1 / 0\n');
    try {
      const p = await preview();
      expect(p.problems).toEqual([
        expect.objectContaining({ file: 'src/shop_project/defs/assets/returns.py', line: 3 }),
      ]);
      expect(p.problems[0]!.message).toContain('ZeroDivisionError');
      // Only the failing module is left out: every other node's definitions are there, and assets/orders.py
      // (beside it) still finds the duckdb resource of resources.py: no error of its own.
      expect(p.partial).toBe(true);
      expect(fromPreview(p)).toEqual(fromPreview(complete));
      const nodeOf = (key: string) => p.assets.find((a) => a.key === key)?.nodeId;
      expect(nodeOf('raw/orders')).toBeDefined();
      expect(p.problems[0]!.nodeId).toBe(nodeOf('raw/orders'));
      expect(nodeOf('stg_orders')).not.toBe(nodeOf('raw/orders'));
    } finally {
      rmSync(module);
    }
    const fixed = await preview();
    expect(fixed.problems).toEqual([]);
    expect(fixed.partial).toBeUndefined();
  }, 600_000);
});
