// Asset checks and the asset sensor node on the real toolchain and a real local instance (issue 15, items 1, 3, 5):
// one workspace and one instance for the whole file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assetSensorComponentType,
  scheduleComponentType,
  type AssetCheckResults,
  type GraphNode,
  type ProjectFile,
  type RunEvent,
} from '@designer/shared';
import { graphql } from '../../src/services/dagster-instance.js';
import { PROJECT_FILE_NAME } from '../../src/services/zip-writer.js';
import { makeTestApp, pipesScript, scriptNode, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
let root: string;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'designer-checks-'));
const CHECK = 'no_negative_amounts';
const SENSOR = 'on_prices';

/** A script that reads its CSV, reports the rows and whether any amount is negative (Pipes' report_asset_check). */
const ordersScript = `import csv
from pathlib import Path

from dagster_pipes import open_dagster_pipes

with open_dagster_pipes() as context:
    rows = list(csv.DictReader(open(Path(__file__).parent / "orders.csv")))
    negative = [r["id"] for r in rows if float(r["amount"]) < 0]
    context.report_asset_materialization(metadata={"rows": len(rows)})
    context.report_asset_check(
        check_name="${CHECK}",
        passed=not negative,
        metadata={"negative_ids": ", ".join(negative) or "none", "rows": len(rows)},
    )
`;

beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true });
  await t.app.services.catalogEnv.prepare();
  project = (
    await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Checks demo' } })
  ).json();
  await t.app.services.workspaces.settle();
  root = t.app.services.workspaces.requireReady(project.id);
  const orders = scriptNode('o', 'orders', 'raw/orders');
  orders.data.attributes.checks = [
    { name: CHECK, asset: 'raw/orders', blocking: true, description: 'Every order amount is 0 or more' },
  ];
  // Its script is the designer's starter, which reports the node's check (passing until the user writes the test).
  const priceReport = scriptNode('q', 'price_report', 'marts/prices');
  priceReport.data.attributes.checks = [{ name: 'has_rows', asset: 'marts/prices' }];
  const sensor: GraphNode = {
    id: 's',
    type: 'schedule',
    position: { x: 0, y: 0 },
    data: {
      label: SENSOR,
      component_type: assetSensorComponentType(project.package_name),
      attributes: { asset_key: 'ext/prices', default_status: 'RUNNING', minimum_interval_seconds: 5 },
    },
  };
  const schedule: GraphNode = {
    id: 'n',
    type: 'schedule',
    position: { x: 0, y: 0 },
    data: {
      label: 'nightly',
      component_type: scheduleComponentType(project.package_name),
      attributes: { cron_schedule: '0 2 * * *', execution_timezone: 'UTC', default_status: 'STOPPED' },
    },
  };
  const graph = {
    nodes: [
      orders,
      scriptNode('r', 'report', 'marts/report'),
      scriptNode('p', 'prices', 'ext/prices'),
      priceReport,
      sensor,
      schedule,
    ],
    edges: [
      { id: 'or', source: 'o', target: 'r' },
      { id: 'sq', source: 's', target: 'q' },
      { id: 'no', source: 'n', target: 'o' },
    ],
  };
  const saved = await t.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: { version: 1, graph },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  const sync = (await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/sync` })).json();
  expect(sync.problems).toEqual([]);
  const defs = path.join(root, 'src', project.package_name, 'defs');
  writeFileSync(path.join(defs, 'orders', 'orders.py'), ordersScript);
  writeFileSync(path.join(defs, 'orders', 'orders.csv'), 'id,amount\n1,10.5\n2,-3\n3,7\n');
  for (const label of ['report', 'prices'])
    writeFileSync(path.join(defs, label, `${label}.py`), pipesScript(label));
}, 300_000);
afterAll(async () => {
  await t?.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface Listed {
  asset_checks: Array<{ key?: string; name?: string; asset_key?: string; blocking?: boolean }>;
  jobs: Array<{ name: string }>;
  schedules: Array<{ name: string }>;
  sensors: Array<{ name: string }>;
}
async function dgListDefs(dir: string): Promise<Listed> {
  const result = await t.app.services.cli.listDefs(dir);
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Listed;
}
const checkNames = (listed: Listed) => listed.asset_checks.map((c) => c.key ?? `${c.asset_key}:${c.name}`);

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
const checkResults = () =>
  waitFor('the instance', 180_000, async () => {
    const res = await t.app.inject({ url: `/api/projects/${project.id}/asset-checks` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as AssetCheckResults;
    expect(body.instance).not.toBe('failed');
    return body.instance === 'ready' ? body.checks : undefined;
  });

describe('asset checks and the asset sensor', () => {
  it('dg list defs, the preview and the exported ZIP have the check, the sensor and its job', async () => {
    const listed = await dgListDefs(root);
    expect(checkNames(listed).sort()).toEqual(['marts/prices:has_rows', `raw/orders:${CHECK}`]);
    expect(listed.sensors.map((s) => s.name)).toEqual([SENSOR]);
    expect(listed.jobs.map((j) => j.name).sort()).toEqual(['nightly_job', `${SENSOR}_job`]);

    const preview = (
      await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` })
    ).json();
    expect(preview.problems).toEqual([]);
    expect(preview.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: `raw/orders:${CHECK}`, blocking: true, nodeId: 'o' }),
        expect.objectContaining({ key: 'marts/prices:has_rows', blocking: false, nodeId: 'q' }),
      ]),
    );
    expect(preview.sensors).toEqual([expect.objectContaining({ name: SENSOR, nodeId: 's' })]);

    const zip = await t.app.inject({ url: `/api/projects/${project.id}/export.zip` });
    expect(zip.statusCode).toBe(200);
    const file = path.join(scratch, 'export.zip');
    writeFileSync(file, zip.rawPayload);
    execFileSync('python3', ['-m', 'zipfile', '-e', file, scratch]);
    const out = path.join(scratch, project.package_name);
    await t.app.services.cli.uvSync(out);
    const exported = await dgListDefs(out);
    expect(checkNames(exported).sort()).toEqual(['marts/prices:has_rows', `raw/orders:${CHECK}`]);
    expect(exported.sensors.map((s) => s.name)).toEqual([SENSOR]);
  }, 300_000);

  it('a blocking check fails on bad data: the run fails, its events carry the result, the node has it', async () => {
    const launched = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/runs`,
      payload: { assets: ['raw/orders', 'marts/report'], wait: true },
    });
    expect(launched.statusCode, launched.body).toBeLessThan(300);
    const run = launched.json() as {
      runId: string;
      status: string;
      materializations: Array<{ asset: string }>;
    };
    // The blocking check stops the run before report: orders is materialized, report is not.
    expect(run.status).toBe('FAILURE');
    expect(run.materializations.map((m) => m.asset)).toEqual(['raw/orders']);

    const logs = (await t.app.inject({ url: `/api/runs/${run.runId}/logs` })).json() as {
      events: RunEvent[];
    };
    const evaluated = logs.events.filter((e) => e.type === 'AssetCheckEvaluationEvent');
    expect(evaluated.map((e) => e.check)).toEqual([
      {
        asset: 'raw/orders',
        name: CHECK,
        passed: false,
        severity: 'ERROR',
        metadata: { negative_ids: '2', rows: 3 },
      },
    ]);
    const failure = logs.events.find((e) => e.type === 'ExecutionStepFailureEvent');
    expect(failure?.error).toContain('blocking asset check');

    const checks = (await checkResults()).filter((c) => c.key !== 'marts/prices:has_rows');
    expect(checks).toEqual([
      expect.objectContaining({
        key: `raw/orders:${CHECK}`,
        nodeId: 'o',
        blocking: true,
        description: 'Every order amount is 0 or more',
        status: 'failed',
        runId: run.runId,
        evaluation: expect.objectContaining({ passed: false, severity: 'ERROR' }),
      }),
    ]);

    // Fixed data: the next run passes and the result follows.
    writeFileSync(
      path.join(root, 'src', project.package_name, 'defs', 'orders', 'orders.csv'),
      'id,amount\n1,10.5\n3,7\n',
    );
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/runs`,
      payload: { assets: ['raw/orders'], wait: true },
    });
    expect(again.json().status).toBe('SUCCESS');
    expect((await checkResults()).find((c) => c.name === CHECK)).toMatchObject({
      status: 'passed',
      runId: again.json().runId,
    });
  }, 300_000);

  it('the asset sensor (on by default) runs its target when the watched asset is materialized', async () => {
    const instance = await t.app.services.instances.ensure(project.id, root);
    const sensorRuns = async () =>
      (
        await graphql<{
          runsOrError: { results: Array<{ runId: string; status: string; jobName: string }> };
        }>(
          instance,
          `{ runsOrError(filter: { tags: [{ key: "dagster/sensor_name", value: "${SENSOR}" }] }) { ... on Runs { results { runId status jobName } } } }`,
        )
      ).runsOrError.results;
    // The sensor must have ticked once before the materialization (an asset sensor starts after the latest event).
    await waitFor('a first sensor tick', 90_000, async () => {
      const state = (await t.app.inject({ url: `/api/projects/${project.id}/automation` })).json();
      const sensor = state.sensors?.find((s: { name: string }) => s.name === SENSOR);
      return sensor?.status === 'RUNNING' && sensor.lastTick ? sensor : undefined;
    });
    expect(await sensorRuns()).toEqual([]);
    const launched = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/runs`,
      payload: { assets: ['ext/prices'], wait: true },
    });
    expect(launched.json().status).toBe('SUCCESS');
    const at = Date.now();
    const run = await waitFor('a run requested by the sensor', 120_000, async () => (await sensorRuns())[0]);
    console.log(`asset sensor run appeared ${((Date.now() - at) / 1000).toFixed(1)} s after ext/prices`);
    expect(run.jobName).toBe(`${SENSOR}_job`);
    // The target's starter script reported its check: passed, on its node.
    const ended = await waitFor('the sensor run to end', 180_000, async () => {
      const r = (await sensorRuns()).find((x) => x.runId === run.runId);
      return r && ['SUCCESS', 'FAILURE', 'CANCELED'].includes(r.status) ? r : undefined;
    });
    expect(ended.status).toBe('SUCCESS');
    expect((await checkResults()).find((c) => c.name === 'has_rows')).toMatchObject({
      status: 'passed',
      nodeId: 'q',
      runId: run.runId,
    });
    // Turned off on the instance (GraphQL stopSensor), it says so.
    const off = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/automation/sensor/${SENSOR}`,
      payload: { running: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ name: SENSOR, status: 'STOPPED', setOnInstance: true });
  }, 300_000);

  it('a project whose defs.yaml use the designer components imports them as schedule nodes with their targets', async () => {
    const source = path.join(scratch, project.package_name);
    rmSync(path.join(source, PROJECT_FILE_NAME), { force: true });
    rmSync(path.join(source, '.venv'), { recursive: true, force: true });
    const other = await makeTestApp();
    try {
      const created = (
        await other.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Imported checks' } })
      ).json();
      const res = await other.app.inject({
        method: 'POST',
        url: `/api/projects/${created.id}/import`,
        payload: { source: 'folder', path: source },
      });
      expect(res.statusCode, res.body).toBe(200);
      const imported = res.json().project as ProjectFile;
      const byLabel = new Map(imported.graph.nodes.map((n) => [n.data.label, n]));
      expect(byLabel.get(SENSOR)).toMatchObject({
        type: 'schedule',
        data: {
          attributes: { asset_key: 'ext/prices', default_status: 'RUNNING', minimum_interval_seconds: 5 },
        },
      });
      expect(byLabel.get('nightly')).toMatchObject({
        type: 'schedule',
        data: { attributes: { cron_schedule: '0 2 * * *', execution_timezone: 'UTC' } },
      });
      expect(byLabel.get('nightly')!.data.attributes.asset_selection).toBeUndefined();
      const edge = (from: string, to: string) =>
        imported.graph.edges.some(
          (e) => e.source === byLabel.get(from)!.id && e.target === byLabel.get(to)!.id,
        );
      expect(edge(SENSOR, 'price_report')).toBe(true);
      expect(edge('nightly', 'orders')).toBe(true);
      expect(byLabel.get('orders')!.data.attributes.checks).toEqual([
        expect.objectContaining({ name: CHECK, asset: 'raw/orders', blocking: true }),
      ]);
    } finally {
      other.app.services.inspector.stop();
      await other.close();
    }
  }, 300_000);
});
