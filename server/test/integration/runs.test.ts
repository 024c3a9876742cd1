// Runs on a real local Dagster instance (dg dev), driven only through GraphQL by our API.
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
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
/**
 * Why a launch was refused: its 4xx when the refusal came within the answer's budget (a warm instance), else the
 * error its LAUNCHING run failed with (the same code, message and hint).
 */
async function refusalOf(res: {
  statusCode: number;
  json: () => { runId?: string; error?: object };
}): Promise<{ status: number; code: string; message: string; hint?: string }> {
  if (res.statusCode !== 202)
    return { status: res.statusCode, ...(res.json().error as { code: string; message: string }) };
  const run = await until(res.json().runId!, (s) => s !== 'LAUNCHING');
  expect(run.status).toBe('FAILURE');
  return {
    status: 400,
    ...(run.launch as { error: { code: string; message: string; hint?: string } }).error,
  };
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
  it('answers a cold launch in under a second, shows the instance starting as steps, then reaches SUCCESS in process', async () => {
    const started = performance.now();
    const res = await launch({ assets: ['raw/orders', 'marts/report'] });
    const answeredMs = performance.now() - started;
    expect(res.statusCode, res.body).toBe(202);
    expect(answeredMs).toBeLessThan(1000);
    const { runId, status, launch: progress } = res.json();
    expect(status).toBe('LAUNCHING');
    expect(progress.steps.map((s: { id: string }) => s.id)).toEqual([
      'sync',
      'instance',
      'reload',
      'select',
      'launch',
    ]);
    // While Dagster starts, the run and the instance both say how far it got.
    const seen = new Set<string>();
    for (;;) {
      const run = (await t.app.inject({ method: 'GET', url: `/api/runs/${runId}` })).json();
      const instance = (
        await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/instance` })
      ).json();
      for (const s of run.launch?.instance ?? []) if (s.status !== 'pending') seen.add(`${s.id}:${s.status}`);
      for (const s of instance.steps ?? []) if (s.status !== 'pending') seen.add(`${s.id}:${s.status}`);
      if (run.status !== 'LAUNCHING') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect([...seen]).toEqual(
      expect.arrayContaining(['process:running', 'definitions:done', 'webserver:done']),
    );
    const run = await until(runId, (s) => ['SUCCESS', 'FAILURE', 'CANCELED'].includes(s));
    expect(run.status).toBe('SUCCESS');
    expect(run.launchId).toBe(runId);
    expect((run.materializations as Array<{ asset: string }>).map((m) => m.asset).sort()).toEqual([
      'marts/report',
      'raw/orders',
    ]);
    expect(run.steps).toEqual([
      expect.objectContaining({ stepKey: 'extract', assets: ['raw/orders'] }),
      expect.objectContaining({ stepKey: 'report', assets: ['marts/report'] }),
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
    // No executor chosen: the designer's default is Dagster's in-process executor (as `dg launch`).
    expect(events.some((e) => /in process/i.test(e.message))).toBe(true);

    const history = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/runs` })).json();
    expect(history.runs[0]).toMatchObject({ launchId: runId, status: 'SUCCESS', projectId: project.id });
    expect(history.instance.status).toBe('ready');
    const health = (await t.app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(health.instances).toEqual([expect.objectContaining({ projectId: project.id, reachable: true })]);
  });

  it('runs the key of an edit made a moment before (by node, as the web does) and refuses the old key with guidance', async () => {
    const current = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}` })).json();
    const graph = structuredClone(current.graph);
    graph.nodes.find((n: { id: string }) => n.id === 'a').data.attributes.assets[0].key = 'raw/orders_v2';
    const saved = await t.app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: { version: current.version, graph },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const started = performance.now();
    const res = await launch({ nodes: ['a'] }); // at once: no sync or reload has happened yet
    expect(res.statusCode, res.body).toBe(202);
    expect(performance.now() - started).toBeLessThan(1000);
    const run = await until(res.json().runId, (s) => ['SUCCESS', 'FAILURE', 'CANCELED'].includes(s));
    expect(run.status).toBe('SUCCESS');
    expect(run.assets).toEqual(['raw/orders_v2']);
    expect((run.launch as { steps: Array<{ id: string; status: string }> }).steps).toContainEqual(
      expect.objectContaining({ id: 'reload', status: 'done' }),
    );

    const stale = await refusalOf(await launch({ assets: ['raw/orders'] }));
    expect(stale).toMatchObject({ status: 400, code: 'unknown_assets' });
    expect(stale.message).toContain('raw/orders');
    expect(stale.hint).toContain('raw/orders_v2');

    // Nothing changed since: the next launch answers at once and does not reload the code location.
    const again = await launch({ nodes: ['a'] });
    expect(again.statusCode, again.body).toBe(202);
    const done = await until(again.json().runId, (s) => ['SUCCESS', 'FAILURE', 'CANCELED'].includes(s));
    expect(done.status).toBe('SUCCESS');
    expect((done.launch as { steps: Array<{ id: string; status: string }> }).steps).toContainEqual(
      expect.objectContaining({ id: 'reload', status: 'skipped' }),
    );
    // Back to the key the later cases use.
    const latest = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}` })).json();
    graph.nodes.find((n: { id: string }) => n.id === 'a').data.attributes.assets[0].key = 'raw/orders';
    await t.app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: { version: latest.version, graph },
    });
  });

  it('reports a failing asset as FAILURE with its error message', async () => {
    const { runId } = (await launch({ assets: ['fail/asset'] })).json();
    const run = await until(runId, (s) => ['SUCCESS', 'FAILURE', 'CANCELED'].includes(s));
    expect(run.status).toBe('FAILURE');
    const failure = (await allLogs(runId)).find((e) => e.type === 'ExecutionStepFailureEvent');
    expect(failure?.stepKey).toBe('broken');
    expect(JSON.stringify(failure)).toContain('boom: the input file is missing');
  });

  it('runs the files as they are when a reload of an earlier state that cannot load is still under way', async () => {
    const root = t.app.services.workspaces.requireReady(project.id);
    await t.app.services.instances.ensure(project.id, root); // ready, so a changing sync reloads at once
    const put = async (graph: object) => {
      const { version } = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}` })).json();
      const res = await t.app.inject({
        method: 'PUT',
        url: `/api/projects/${project.id}`,
        payload: { version, graph },
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    const { graph } = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}` })).json();
    // A node repeating another's key (as the first hour does): the code location cannot load that state, and
    // the sync starts its reload in the background. A module that takes a while to import keeps that reload
    // under way (as a busy machine does) while the state changes again.
    const slow = path.join(root, 'src', 'shop_runs', 'defs', 'slow_import.py');
    writeFileSync(slow, 'import time\n\ntime.sleep(8)\n');
    await put({ ...graph, nodes: [...graph.nodes, scriptNode('x', 'twin', 'raw/orders')] });
    const broken = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/sync` });
    expect(broken.statusCode, broken.body).toBe(200);
    // At once the node goes again and a run starts: it must run the files as they are now, not fail with the
    // load error of the state before.
    rmSync(slow);
    await put(graph);
    const res = await launch({ assets: ['raw/orders'] });
    expect(res.statusCode, res.body).toBe(202);
    const run = await until(res.json().runId, (s) => ['SUCCESS', 'FAILURE', 'CANCELED'].includes(s));
    expect(run.status, JSON.stringify(run.launch)).toBe('SUCCESS');
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
    [{ assets: ['no/such/asset'] }, 'unknown_assets'],
    [{ assets: ['raw/orders'], runConfig: { loggers: 7 } }, 'invalid_run_config'],
  ])(
    'refuses %j with a hint (a 400, or the LAUNCHING run fails with it when Dagster answers later)',
    async (payload, code) => {
      const refusal = await refusalOf(await launch(payload));
      expect(refusal).toMatchObject({ status: 400, code });
      expect(refusal.hint).toBeTruthy();
    },
  );

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
