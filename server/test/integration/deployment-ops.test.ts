// Observe, run there and reload on a real Dagster webserver through the deployment routes (issue 16, part B).
// The "deployment" here is the project's own local instance (dg dev: a real webserver, daemon and code server
// on 127.0.0.1) reached through its URL as any OSS webserver is, with no auth.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentAssets, DeploymentReload, ProjectFile, Run, RunEvent } from '@designer/shared';
import { recordPush } from '../../src/services/deployments/code-version.js';
import { makeTestApp, scriptNode, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
let root: string;
let depId: string;

const SCRIPTS: Record<string, string> = {
  extract:
    'from dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.log.info("extracting orders on the deployment")\n    context.report_asset_materialization(metadata={"rows": 3})\n',
  slow: 'import time\nfrom dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.log.info("sleeping")\n    time.sleep(300)\n',
};

const url = (rest: string) => `/api/projects/${project.id}/deployments/${depId}${rest}`;

beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true });
  await t.app.services.catalogEnv.prepare();
  project = (
    await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Team shop' } })
  ).json();
  await t.app.services.workspaces.settle();
  const graph = {
    nodes: [scriptNode('a', 'extract', 'raw/orders'), scriptNode('s', 'slow', 'slow/asset')],
    edges: [],
  };
  const put = await t.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: { version: 1, graph },
  });
  expect(put.statusCode).toBe(200);
  project = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}` })).json();
  root = t.app.services.workspaces.requireReady(project.id);
  expect(
    (await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/sync` })).json().problems,
  ).toEqual([]);
  const defs = path.join(root, 'src', project.package_name, 'defs');
  for (const [label, code] of Object.entries(SCRIPTS))
    writeFileSync(path.join(defs, label, `${label}.py`), code);
  const instance = await t.app.services.instances.ensure(project.id, root);
  const created = await t.app.inject({
    method: 'POST',
    url: `/api/projects/${project.id}/deployments`,
    payload: { name: 'Team OSS', kind: 'oss', url: instance.url, auth: 'none' },
  });
  expect(created.statusCode).toBe(201);
  depId = created.json().id;
}, 600_000);
afterAll(async () => {
  await t?.close();
});

async function runUntil(runId: string, done: (s: string) => boolean, timeoutMs = 180_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.app.inject({ method: 'GET', url: url(`/runs/${runId}`) });
    expect(res.statusCode).toBe(200);
    const run = res.json<Run>();
    if (done(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function allLogs(runId: string): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  let cursor: string | null = null;
  for (;;) {
    const res: { statusCode: number; json: () => unknown } = await t.app.inject({
      method: 'GET',
      url: url(`/runs/${runId}/logs${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`),
    });
    expect(res.statusCode).toBe(200);
    const page = res.json() as { events: RunEvent[]; cursor: string | null; hasMore: boolean };
    events.push(...page.events);
    cursor = page.cursor;
    if (!page.hasMore) return events;
  }
}

describe('a deployment observed, run on and reloaded through GraphQL', () => {
  let runId: string;

  it('launches the selected asset there → SUCCESS, with its logs, in the location’s run list', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: url('/runs'),
      payload: { assets: ['raw/orders'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ run: Run; code: { status: string; message: string } }>();
    runId = body.run.runId;
    // No push on record and a dg dev location that tells no commit: the answer says so, and the run goes.
    expect(body.code.status).toBe('unknown');
    const done = await runUntil(runId, (s) => ['SUCCESS', 'FAILURE', 'CANCELED'].includes(s));
    expect(done.status).toBe('SUCCESS');
    expect(done.assets).toEqual(['raw/orders']);
    const logs = await allLogs(runId);
    expect(logs.some((e) => e.message.includes('extracting orders on the deployment'))).toBe(true);
    const list = (await t.app.inject({ method: 'GET', url: url('/runs?limit=10') })).json<{ runs: Run[] }>();
    expect(list.runs.map((r) => r.runId)).toContain(runId);
  }, 300_000);

  it("shows the materialization with the deployment's run id, and a never-run asset as missing", async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: url('/assets?keys=raw/orders&keys=slow/asset&keys=not/there'),
    });
    expect(res.statusCode, res.body).toBe(200);
    const state = res.json<DeploymentAssets>();
    expect(state.location?.status).toBe('loaded');
    const orders = state.assets.find((a) => a.key === 'raw/orders')!;
    expect(orders.lastMaterialization?.runId).toBe(runId);
    expect(orders.lastMaterialization?.runStatus).toBe('SUCCESS');
    expect(orders.staleStatus).toBe('FRESH');
    const slow = state.assets.find((a) => a.key === 'slow/asset')!;
    expect(slow.lastMaterialization).toBeUndefined();
    expect(slow.staleStatus).toBe('MISSING');
    expect(state.assets.find((a) => a.key === 'not/there')).toMatchObject({ defined: false });
  });

  it('cancels a run there', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: url('/runs'),
      payload: { assets: ['slow/asset'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const slowId = res.json<{ run: Run }>().run.runId;
    await runUntil(slowId, (s) => s === 'STARTED');
    const cancel = await t.app.inject({ method: 'POST', url: url(`/runs/${slowId}/cancel`) });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(
      (await runUntil(slowId, (s) => s === 'CANCELED' || s === 'FAILURE' || s === 'SUCCESS')).status,
    ).toBe('CANCELED');
  }, 300_000);

  it('refuses a key the deployment does not define, with a 409 saying to push and reload', async () => {
    const res = await t.app.inject({ method: 'POST', url: url('/runs'), payload: { assets: ['not/there'] } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('deployment_missing_assets');
  });

  it('reloads the location; a load error comes back on the node that caused it, and goes after the fix', async () => {
    const file = path.join(root, 'src', project.package_name, 'defs', 'extract', 'defs.yaml');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('attributes:', 'attributes:\n  not_a_field: 1'));
    try {
      const res = await t.app.inject({ method: 'POST', url: url('/reload') });
      expect(res.statusCode, res.body).toBe(200);
      const reload = res.json<DeploymentReload>();
      expect(reload.location.status).toBe('error');
      const onNode = reload.problems.find((p) => p.nodeId === 'a');
      expect(onNode, JSON.stringify(reload.problems)).toBeDefined();
      expect(onNode!.message).toMatch(/not_a_field/);
    } finally {
      writeFileSync(file, good);
    }
    const fixed = (await t.app.inject({ method: 'POST', url: url('/reload') })).json<DeploymentReload>();
    expect(fixed.location.status).toBe('loaded');
    expect(fixed.problems).toEqual([]);
  }, 300_000);

  it('compares with the last push: no commit told by the location is "unknown", said in words', async () => {
    await recordPush(t.dataDir, project.id, {
      commit: '0123456789abcdef0123456789abcdef01234567',
      branch: 'designer/team-shop',
      remote: 'https://example.invalid/shop.git',
      at: new Date().toISOString(),
    });
    const state = (await t.app.inject({ method: 'GET', url: url('/assets') })).json<DeploymentAssets>();
    expect(state.code.status).toBe('unknown');
    expect(state.code.pushed?.commit).toMatch(/^0123456/);
    expect(state.code.message).toMatch(/does not tell which commit/);
    // Without keys: every asset of the project's location.
    expect(state.assets.map((a) => a.key).sort()).toEqual(['raw/orders', 'slow/asset']);
  });
});
