// Runs on a real local Dagster instance (dg dev), driven only through GraphQL by our API.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { groupAlive } from '../../src/services/dagster-instance.js';
import { makeTestApp, scriptNode, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
let closed = false;

const SCRIPTS: Record<string, string> = {
  extract:
    'from dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.log.info("extracting orders")\n    context.report_asset_materialization(metadata={"rows": 3})\n',
  report:
    'from dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.log.info("building the report")\n',
  broken: 'raise ValueError("boom: the input file is missing")\n',
  flavour:
    'import hashlib, os\nfrom dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    value = os.environ.get("RUN_FLAVOUR")\n    context.log.info("flavour " + (hashlib.sha256(value.encode()).hexdigest()[:12] if value else "missing"))\n',
  slow: 'import time\nfrom dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.log.info("sleeping")\n    time.sleep(300)\n',
};

beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true });
  await t.app.services.catalogEnv.prepare();
  project = (
    await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Shop runs' } })
  ).json();
  await t.app.services.workspaces.settle();
  const graph = {
    nodes: [
      scriptNode('a', 'extract', 'raw/orders'),
      scriptNode('b', 'report', 'marts/report'),
      scriptNode('c', 'broken', 'fail/asset'),
      scriptNode('d', 'slow', 'slow/asset'),
      scriptNode('f', 'flavour', 'env/flavour'),
    ],
    edges: [{ id: 'e', source: 'a', target: 'b' }],
  };
  expect(
    (
      await t.app.inject({
        method: 'PUT',
        url: `/api/projects/${project.id}`,
        payload: { version: 1, graph },
      })
    ).statusCode,
  ).toBe(200);
  const sync = (await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/sync` })).json();
  expect(sync.problems).toEqual([]);
  const defs = path.join(t.app.services.workspaces.requireReady(project.id), 'src', 'shop_runs', 'defs');
  for (const [label, code] of Object.entries(SCRIPTS))
    writeFileSync(path.join(defs, label, `${label}.py`), code);
  // An asset with run configuration, in a Python module of the defs folder (as a user would write one).
  mkdirSync(path.join(defs, 'configured'));
  writeFileSync(
    path.join(defs, 'configured', 'assets.py'),
    'import dagster as dg\n\n\nclass OrdersConfig(dg.Config):\n    limit: int = 10\n    region: str = "eu"\n\n\n@dg.asset(key=["configured", "orders"])\ndef configured_orders(context: dg.AssetExecutionContext, config: OrdersConfig) -> None:\n    context.log.info(f"limit={config.limit} region={config.region}")\n',
  );
});
afterAll(async () => {
  if (!closed) await t?.close();
});

const launch = (payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/runs`, payload });
async function until(
  runId: string,
  done: (status: string) => boolean,
  timeoutMs = 240_000,
): Promise<{ status: string; [k: string]: unknown }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = (await t.app.inject({ method: 'GET', url: `/api/runs/${runId}` })).json();
    if (done(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
async function allLogs(
  runId: string,
): Promise<Array<{ type: string; message: string; stepKey: string | null; error?: string }>> {
  const events = [];
  let cursor: string | undefined;
  for (;;) {
    const page = (
      await t.app.inject({
        method: 'GET',
        url: `/api/runs/${runId}/logs${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
      })
    ).json();
    events.push(...page.events);
    cursor = page.cursor;
    if (!page.hasMore) return events;
  }
}

describe('runs through GraphQL', () => {
  it('launches asynchronously, reaches SUCCESS, logs the steps in order, materializes both assets, lists the run', async () => {
    const res = await launch({ assets: ['raw/orders', 'marts/report'] });
    expect(res.statusCode, res.body).toBe(202);
    const { runId } = res.json();
    const run = await until(runId, (s) => ['SUCCESS', 'FAILURE', 'CANCELED'].includes(s));
    expect(run.status).toBe('SUCCESS');
    expect((run.materializations as Array<{ asset: string }>).map((m) => m.asset).sort()).toEqual([
      'marts/report',
      'raw/orders',
    ]);
    const events = await allLogs(runId);
    const starts = events.filter((e) => e.type === 'ExecutionStepStartEvent').map((e) => e.stepKey);
    expect(starts).toEqual(['extract', 'report']);
    const types = events.map((e) => e.type);
    expect(types.indexOf('RunStartEvent')).toBeLessThan(types.indexOf('ExecutionStepStartEvent'));
    expect(types.lastIndexOf('RunSuccessEvent')).toBeGreaterThan(
      types.lastIndexOf('ExecutionStepSuccessEvent'),
    );
    expect(events.some((e) => e.message.includes('extracting orders'))).toBe(true);

    const history = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/runs` })).json();
    expect(history.runs[0]).toMatchObject({ runId, status: 'SUCCESS', projectId: project.id });
    const health = (await t.app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(health.instances).toEqual([expect.objectContaining({ projectId: project.id, reachable: true })]);
  });

  it('reports a failing asset as FAILURE with its error message', async () => {
    const { runId } = (await launch({ assets: ['fail/asset'] })).json();
    const run = await until(runId, (s) => ['SUCCESS', 'FAILURE', 'CANCELED'].includes(s));
    expect(run.status).toBe('FAILURE');
    const failure = (await allLogs(runId)).find((e) => e.type === 'ExecutionStepFailureEvent');
    expect(failure?.stepKey).toBe('broken');
    expect(JSON.stringify(failure)).toContain('boom: the input file is missing');
  });

  it('waits for the finished run in sync mode', async () => {
    const res = await launch({ assets: ['raw/orders'], wait: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'SUCCESS', assets: ['raw/orders'] });
  });

  it('answers 504 when a waited run outlives the timeout, and cancels a long run to CANCELED', async () => {
    const res = await launch({ assets: ['slow/asset'], wait: true, timeoutSeconds: 3 });
    expect(res.statusCode).toBe(504);
    const history = (
      await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/runs?limit=1` })
    ).json();
    const runId = history.runs[0].runId;
    await until(runId, (s) => s === 'STARTED');
    const cancel = await t.app.inject({ method: 'POST', url: `/api/runs/${runId}/cancel` });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect((await until(runId, (s) => s === 'CANCELED', 60_000)).status).toBe('CANCELED');
  });

  it.each([
    [{ assets: ['no/such/asset'] }, 400, 'invalid_asset_selection'],
    [{ assets: ['raw/orders'], runConfig: { loggers: 7 } }, 400, 'invalid_run_config'],
  ])('refuses %j with a hint', async (payload, status, code) => {
    const res = await launch(payload);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  it("offers the selection's run configuration as JSON Schema and runs with the values given", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/runs/config-schema`,
      payload: { assets: ['configured/orders'] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { schema, hasConfig } = res.json();
    expect(hasConfig).toBe(true);
    const ops = schema.properties.ops.properties as Record<
      string,
      { properties: { config: { properties: object } } }
    >;
    const [opName, op] = Object.entries(ops)[0]!;
    expect(op.properties.config.properties).toEqual({
      limit: { title: 'limit', type: 'integer', default: 10 },
      region: { title: 'region', type: 'string', default: 'eu' },
    });
    expect(schema.properties.loggers).toBeUndefined();
    const plain = (
      await t.app.inject({
        method: 'POST',
        url: `/api/projects/${project.id}/runs/config-schema`,
        payload: { assets: ['raw/orders'] },
      })
    ).json();
    expect(plain.hasConfig, JSON.stringify(plain.schema.properties.ops)).toBe(false);

    const run = await launch({
      assets: ['configured/orders'],
      runConfig: { ops: { [opName]: { config: { limit: 3 } } } },
      wait: true,
    });
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json().status).toBe('SUCCESS');
    expect((await allLogs(run.json().runId)).some((e) => e.message.includes('limit=3 region=eu'))).toBe(true);
    const bad = await launch({
      assets: ['configured/orders'],
      runConfig: { ops: { [opName]: { config: { limit: 'many' } } } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_run_config');
  });

  it('gives per-run env overrides to that run only, and never returns their values', async () => {
    const value = 'override-flavour-7f3a';
    const digest = createHash('sha256').update(value).digest('hex').slice(0, 12);
    const withEnv = await launch({ assets: ['env/flavour'], env: { RUN_FLAVOUR: value }, wait: true });
    expect(withEnv.statusCode, withEnv.body).toBe(200);
    expect(withEnv.json().status).toBe('SUCCESS');
    const logs = await allLogs(withEnv.json().runId);
    expect(logs.some((e) => e.message.includes(`flavour ${digest}`))).toBe(true);
    const history = await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/runs` });
    expect(history.json().runs.map((r: { runId: string }) => r.runId)).toContain(withEnv.json().runId);

    const without = await launch({ assets: ['env/flavour'], wait: true });
    expect(without.json().status).toBe('SUCCESS');
    expect((await allLogs(without.json().runId)).some((e) => e.message.includes('flavour missing'))).toBe(
      true,
    );
    for (const body of [withEnv.body, history.body, JSON.stringify(logs)]) expect(body).not.toContain(value);
    const bad = await launch({ assets: ['env/flavour'], env: { '1BAD': 'x' } });
    expect(bad.statusCode).toBe(400);
  });

  it('leaves no Dagster process behind when the server stops', async () => {
    const instance = t.app.services.instances.get(project.id)!;
    expect(groupAlive(instance.pid)).toBe(true);
    await t.close();
    closed = true;
    expect(groupAlive(instance.pid)).toBe(false);
  });
});
