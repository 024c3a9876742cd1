// Observe, run there and deploy on a real Dagster OSS deployment (server/test/support/oss-deployment.ts:
// PostgreSQL, webserver, daemon, a code server on the checkout of the pushed branch, a proxy demanding a bearer
// token), through the designer's routes only: push → reload → the location serves the new assets; launch there →
// SUCCESS with logs and the materialization on its node with the deployment's run id; a partitioned asset's
// partition status and an asset's check results as the deployment recorded them; cancel; a broken push's load
// error lands on the node that caused it; a launch refused while the deployment says it serves another commit
// than the designer's push, and let through once it serves the pushed one (issue 16, part B).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  withPartitions,
  type DeploymentAssets,
  type DeploymentReload,
  type ProjectFile,
  type Run,
  type RunEvent,
} from '@designer/shared';
import { makeTestApp, pipesScript, scriptNode, type TestApp } from '../helpers.js';
import { startOssDeployment, type OssDeployment } from '../support/oss-deployment.js';

const TOKEN = 'dgp_OssOpsToken_7Wm2NeverAnswered';
let t: TestApp;
let project: ProjectFile;
let oss: OssDeployment;
let depId: string;
const answers: string[] = [];

async function call(options: InjectOptions) {
  const res = await t.app.inject(options);
  answers.push(res.body);
  return res;
}
const on = (rest: string, method: InjectOptions['method'] = 'GET', payload?: object) =>
  call({
    method,
    url: `/api/projects/${project.id}/deployments/${depId}${rest}`,
    ...(payload ? { payload } : {}),
  });

async function save(nodes: ReturnType<typeof scriptNode>[], scripts: Record<string, string>) {
  const current = (await call({ method: 'GET', url: `/api/projects/${project.id}` })).json<ProjectFile>();
  const saved = await call({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: { version: current.version, graph: { nodes, edges: [] } },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  await call({ method: 'POST', url: `/api/projects/${project.id}/sync` });
  const defs = path.join(
    t.app.services.workspaces.requireReady(project.id),
    'src',
    project.package_name,
    'defs',
  );
  for (const [label, code] of Object.entries(scripts))
    writeFileSync(path.join(defs, label, `${label}.py`), code);
}

async function push(): Promise<string> {
  const res = await call({
    method: 'POST',
    url: `/api/projects/${project.id}/git/push`,
    payload: { remote: oss.repo, branch: oss.branch },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ commit: string }>().commit;
}

async function runUntil(runId: string, done: (s: string) => boolean, timeoutMs = 240_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await on(`/runs/${runId}`);
    expect(res.statusCode, res.body).toBe(200);
    const run = res.json<Run>();
    if (done(run.status)) return run;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} still ${run.status}\n${oss.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Every log event of a deployment's run, page after page, as the Runs tab reads them. */
async function allLogs(runId: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page: { events: RunEvent[]; cursor: string | null; hasMore: boolean } = (
      await on(`/runs/${runId}/logs${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`)
    ).json();
    events.push(...page.events);
    cursor = page.cursor;
    if (!page.hasMore) return events;
  }
}

const SLOW =
  'import time\nfrom dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.log.info("sleeping")\n    time.sleep(300)\n';
/** A daily partition's script: one day has no data and fails. */
const DAILY =
  'from dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.log.info(f"sales of {context.partition_key}")\n    if context.partition_key == "2024-01-06":\n        raise RuntimeError("no sales data for 2024-01-06")\n';
/** Reports the asset's two checks: one passes, one fails (non-blocking: the run still succeeds). */
const PAYMENTS =
  'from dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.report_asset_materialization(metadata={"rows": 3})\n    context.report_asset_check(check_name="has_rows", passed=True)\n    context.report_asset_check(check_name="amounts_positive", passed=False, metadata={"negative_ids": "7"})\n';

function dailyNode() {
  const node = scriptNode('d', 'daily_sales', 'sales/daily');
  node.data = withPartitions(node.data, {
    kind: 'daily',
    startDate: '2024-01-01',
    timezone: 'UTC',
    endOffset: 0,
  });
  return node;
}
function paymentsNode() {
  const node = scriptNode('p', 'payments', 'raw/payments');
  node.data.attributes.checks = [
    { name: 'has_rows', asset: 'raw/payments' },
    { name: 'amounts_positive', asset: 'raw/payments', description: 'No negative amount' },
  ];
  return node;
}

beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true });
  const catalog = t.app.services.catalogEnv.prepare();
  project = (await call({ method: 'POST', url: '/api/projects', payload: { name: 'Team ops' } })).json();
  const [started, ready] = await Promise.allSettled([
    startOssDeployment({ packageName: project.package_name, token: TOKEN }),
    catalog.then(() => t.app.services.workspaces.settle()),
  ]);
  if (started.status === 'fulfilled') oss = started.value;
  for (const result of [started, ready]) if (result.status === 'rejected') throw result.reason;
  await save(
    [
      scriptNode('a', 'extract', 'raw/orders'),
      scriptNode('s', 'slow', 'slow/asset'),
      dailyNode(),
      paymentsNode(),
    ],
    {
      extract: pipesScript('extracting on the team deployment'),
      slow: SLOW,
      daily_sales: DAILY,
      payments: PAYMENTS,
    },
  );
  await push();
  const dep = await call({
    method: 'POST',
    url: `/api/projects/${project.id}/deployments`,
    payload: { name: 'Team OSS', kind: 'oss', url: oss.bearerUrl, auth: 'bearer' },
  });
  expect(dep.statusCode, dep.body).toBe(201);
  depId = dep.json<{ id: string }>().id;
  expect((await on('/token', 'PUT', { token: TOKEN })).statusCode).toBe(200);
}, 600_000);

afterAll(async () => {
  await oss?.stop();
  await t?.close();
});

describe('a real Dagster OSS deployment driven by the designer', () => {
  let runId: string;

  it('reloads the location after the push: it serves the pushed assets', async () => {
    const res = await on('/reload', 'POST');
    expect(res.statusCode, res.body).toBe(200);
    const reload = res.json<DeploymentReload>();
    expect(reload.location).toMatchObject({
      name: oss.locationName,
      status: 'loaded',
      dagsterVersion: '1.13.27',
    });
    expect(reload.problems).toEqual([]);
    // The code server tells no commit: the comparison says so instead of guessing.
    expect(reload.code).toMatchObject({ status: 'unknown', pushed: { commit: oss.checkoutHead() } });
    // Without keys: every asset of the project's location; never run there yet: missing.
    const state = (await on('/assets')).json<DeploymentAssets>();
    expect(state.assets.map((a) => a.key).sort()).toEqual([
      'raw/orders',
      'raw/payments',
      'sales/daily',
      'slow/asset',
    ]);
    expect(state.assets.find((a) => a.key === 'slow/asset')).toMatchObject({
      defined: true,
      staleStatus: 'MISSING',
      checks: [],
    });
    expect(state.assets[0]!.lastMaterialization).toBeUndefined();
    // A key the deployment's code does not define is refused before anything starts.
    const unknown = await on('/runs', 'POST', { assets: ['not/there'] });
    expect(unknown.statusCode).toBe(409);
    expect(unknown.json().error.code).toBe('deployment_missing_assets');
  }, 300_000);

  it('launches there → SUCCESS with its logs, and the node’s asset shows the deployment’s run id', async () => {
    const res = await on('/runs', 'POST', { assets: ['raw/orders'] });
    expect(res.statusCode, res.body).toBe(201);
    runId = res.json<{ run: Run }>().run.runId;
    const done = await runUntil(runId, (s) => ['SUCCESS', 'FAILURE', 'CANCELED'].includes(s));
    expect(done.status).toBe('SUCCESS');
    const events = await allLogs(runId);
    expect(events.some((e) => e.message.includes('extracting on the team deployment'))).toBe(true);
    const state = (await on('/assets?keys=raw/orders')).json<DeploymentAssets>();
    expect(state.assets[0]).toMatchObject({
      key: 'raw/orders',
      defined: true,
      staleStatus: 'FRESH',
      lastMaterialization: { runId, runStatus: 'SUCCESS' },
    });
    const runs = (await on('/runs')).json<{ runs: Run[] }>();
    expect(runs.runs.map((r) => r.runId)).toContain(runId);
  }, 300_000);

  it('shows the partition status and the check results the deployment recorded', async () => {
    // Two partitions (one fails) and the checked asset, launched together: the daemon runs them side by side.
    const launched = await Promise.all(
      [
        { assets: ['sales/daily'], partition: '2024-01-05' },
        { assets: ['sales/daily'], partition: '2024-01-06' },
        { assets: ['raw/payments'] },
      ].map(async (body) => {
        const res = await on('/runs', 'POST', body);
        expect(res.statusCode, res.body).toBe(201);
        return res.json<{ run: Run }>().run.runId;
      }),
    );
    const ended = await Promise.all(
      launched.map((id) => runUntil(id, (s) => ['SUCCESS', 'FAILURE', 'CANCELED'].includes(s))),
    );
    expect(ended.map((r) => r.status)).toEqual(['SUCCESS', 'FAILURE', 'SUCCESS']);
    const [goodDay, , checked] = launched;

    // The answer the web's nodes and Assets tab read.
    const res = await on('/assets?keys=sales/daily&keys=raw/payments');
    expect(res.statusCode, res.body).toBe(200);
    const [daily, payments] = res.json<DeploymentAssets>().assets;
    expect(daily).toMatchObject({
      key: 'sales/daily',
      defined: true,
      lastMaterialization: { runId: goodDay, runStatus: 'SUCCESS', partition: '2024-01-05' },
      partitions: { materialized: 1, failed: 1, materializing: 0 },
      inProgressRunIds: [],
    });
    // Daily from 2024-01-01 up to yesterday (UTC).
    const days = Math.floor((Date.now() - Date.UTC(2024, 0, 1)) / 86_400_000);
    expect(daily!.partitions!.total).toBeGreaterThanOrEqual(days - 1);
    expect(daily!.partitions!.total).toBeLessThanOrEqual(days + 1);
    expect(payments).toMatchObject({
      key: 'raw/payments',
      defined: true,
      lastMaterialization: { runId: checked, runStatus: 'SUCCESS' },
      staleStatus: 'FRESH',
    });
    expect(payments!.partitions).toBeUndefined();
    expect([...payments!.checks].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'amounts_positive', status: 'FAILED', runId: checked, timestamp: expect.any(Number) },
      { name: 'has_rows', status: 'SUCCEEDED', runId: checked, timestamp: expect.any(Number) },
    ]);
    const at = payments!.checks[0]!.timestamp!;
    expect(Math.abs(at - payments!.lastMaterialization!.timestamp)).toBeLessThan(120_000);
  }, 300_000);

  it('cancels a run there', async () => {
    const res = await on('/runs', 'POST', { assets: ['slow/asset'] });
    expect(res.statusCode, res.body).toBe(201);
    const slowId = res.json<{ run: Run }>().run.runId;
    await runUntil(slowId, (s) => s === 'STARTED');
    expect((await on(`/runs/${slowId}/cancel`, 'POST')).statusCode).toBe(200);
    const ended = await runUntil(slowId, (s) => ['SUCCESS', 'FAILURE', 'CANCELED'].includes(s));
    expect(ended.status).toBe('CANCELED');
  }, 300_000);

  it('a node added and pushed is served after the reload; a broken push puts the load error on its node', async () => {
    await save(
      [
        scriptNode('a', 'extract', 'raw/orders'),
        scriptNode('s', 'slow', 'slow/asset'),
        scriptNode('r', 'report', 'marts/report'),
      ],
      { report: pipesScript('report') },
    );
    expect((await on('/assets?keys=marts/report')).json<DeploymentAssets>().assets[0]!.defined).toBe(false);
    await push();
    const reloaded = (await on('/reload', 'POST')).json<DeploymentReload>();
    expect(reloaded.location.status).toBe('loaded');
    expect((await on('/assets?keys=marts/report')).json<DeploymentAssets>().assets[0]!.defined).toBe(true);

    // An attribute the component does not take: the deployment cannot load the project, and says where.
    await save(
      [
        scriptNode('a', 'extract', 'raw/orders'),
        scriptNode('s', 'slow', 'slow/asset'),
        {
          ...scriptNode('r', 'report', 'marts/report'),
          data: {
            ...scriptNode('r', 'report', 'marts/report').data,
            attributes: { ...scriptNode('r', 'report', 'marts/report').data.attributes, not_a_field: 1 },
          },
        },
      ],
      {},
    );
    await push();
    const broken = await on('/reload', 'POST');
    expect(broken.statusCode, broken.body).toBe(200);
    const result = broken.json<DeploymentReload>();
    expect(result.location.status).toBe('error');
    const onNode = result.problems.find((p) => p.nodeId === 'r');
    expect(onNode, JSON.stringify(result.problems)).toBeDefined();
    expect(onNode!.message).toMatch(/^report: On "Team OSS": .*not_a_field/);
    // A launch is refused while the location cannot load, with the reason.
    const refused = await on('/runs', 'POST', { assets: ['raw/orders'] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('deployment_location_not_loaded');
    // Fixed and pushed again: the reload loads, and the problem is gone.
    await save(
      [
        scriptNode('a', 'extract', 'raw/orders'),
        scriptNode('s', 'slow', 'slow/asset'),
        scriptNode('r', 'report', 'marts/report'),
      ],
      {},
    );
    await push();
    const fixed = (await on('/reload', 'POST')).json<DeploymentReload>();
    expect(fixed.location.status).toBe('loaded');
    expect(fixed.problems).toEqual([]);
  }, 400_000);

  it('refuses to launch while the deployment serves another commit than the pushed one, and launches once it serves it', async () => {
    // The team's CD deploys the designer's last push: a code server from an image tagged with the commit.
    await oss.rollOut();
    const current = (await on('/assets?keys=raw/orders')).json<DeploymentAssets>();
    expect(current.code).toMatchObject({
      status: 'current',
      serving: { commit: oss.checkoutHead(), from: 'image' },
    });

    // The designer changes the script and pushes; the deployment has not deployed that commit yet.
    await save(
      [
        scriptNode('a', 'extract', 'raw/orders'),
        scriptNode('s', 'slow', 'slow/asset'),
        scriptNode('r', 'report', 'marts/report'),
      ],
      { extract: pipesScript('extract, second version') },
    );
    const deployed = current.code.serving!.commit;
    const pushed = await push();
    expect(pushed).not.toBe(deployed);
    const refused = await on('/runs', 'POST', { assets: ['raw/orders'] });
    expect(refused.statusCode, refused.body).toBe(409);
    const error = refused.json().error;
    expect(error.code).toBe('deployment_code_behind');
    expect(error.message).toBe(
      `Not launched: The deployment serves commit ${deployed.slice(0, 12)} (its image), not ${pushed.slice(0, 12)} that the designer pushed to ${oss.branch}.`,
    );
    expect(error.hint).toContain('deploy the pushed commit');
    expect((await on('/assets?keys=raw/orders')).json<DeploymentAssets>().code.status).toBe('behind');
    const before = (await on('/runs')).json<{ runs: Run[] }>().runs.length;

    // Its CD rolls the pushed commit out: the launch goes, and the run is the new code's.
    await oss.rollOut();
    const res = await on('/runs', 'POST', { assets: ['raw/orders'] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().code).toMatchObject({ status: 'current', serving: { commit: pushed } });
    const runId = res.json<{ run: Run }>().run.runId;
    expect((await runUntil(runId, (s) => ['SUCCESS', 'FAILURE', 'CANCELED'].includes(s))).status).toBe(
      'SUCCESS',
    );
    expect((await allLogs(runId)).some((e) => e.message.includes('extract, second version'))).toBe(true);
    // The refused launch started nothing.
    expect((await on('/runs')).json<{ runs: Run[] }>().runs.length).toBe(before + 1);
  }, 300_000);

  it('never answers the token', () => {
    expect(answers.join('\n')).not.toContain(TOKEN);
  });
});
