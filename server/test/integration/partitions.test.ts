// Partitions and backfills on the real toolchain and a real local instance (issue 15, items 3 and 4): one workspace
// and one instance for the whole file.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BACKFILL_DONE,
  dbtCliArgsFor,
  withPartitions,
  type Backfill,
  scheduleComponentType,
  type GraphNode,
  type PartitionStatusAnswer,
  type ProjectFile,
} from '@designer/shared';
import { REPO_ROOT } from '../../src/config.js';
import { componentNode, makeTestApp, scriptNode, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
let root: string;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'designer-partitions-'));

/** A Pipes script that logs its partition (and sleeps when told, so a cancel finds it under way). */
const partitionScript = (sleep = 0) =>
  `import time\nfrom dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.log.info(f"partition {context.partition_key}")\n    time.sleep(${sleep})\n`;

beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true });
  await t.app.services.catalogEnv.prepare();
  project = (
    await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Parts demo' } })
  ).json();
  await t.app.services.workspaces.settle();
  root = t.app.services.workspaces.requireReady(project.id);
  const daily = scriptNode('d', 'daily_sales', 'sales/daily');
  daily.data = withPartitions(daily.data, {
    kind: 'daily',
    startDate: '2024-01-01',
    timezone: 'UTC',
    endOffset: 0,
  });
  const monthly = scriptNode('m', 'monthly_report', 'sales/monthly');
  monthly.data = withPartitions(monthly.data, {
    kind: 'monthly',
    startDate: '2024-01-01',
    timezone: 'Europe/Paris',
    endOffset: 1,
  });
  const regions = scriptNode('r', 'regions', 'sales/regions');
  regions.data = withPartitions(regions.data, { kind: 'static', keys: ['eu', 'us'] });
  const graph = {
    nodes: [daily, monthly, regions, scriptNode('p', 'plain', 'sales/plain')],
    edges: [],
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
  for (const label of ['daily_sales', 'monthly_report', 'regions', 'plain'])
    writeFileSync(path.join(defs, label, `${label}.py`), partitionScript(label === 'regions' ? 90 : 0));
}, 600_000);
afterAll(async () => {
  await t?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const backfill = (payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/backfills`, payload });
async function until(id: string, done: (b: Backfill) => boolean, timeoutMs: number): Promise<Backfill> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.app.inject({ url: `/api/projects/${project.id}/backfills/${id}` });
    expect(res.statusCode, res.body).toBe(200);
    const b = res.json() as Backfill;
    if (done(b)) return b;
    if (Date.now() > end) throw new Error(`backfill ${id} still ${b.status}: ${JSON.stringify(b)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
const finished = (b: Backfill) => BACKFILL_DONE.includes(b.status);

describe('partitions and backfills', () => {
  it('writes partitions_def: dg check defs passes, the preview shows each asset partitions, the ZIP keeps them', async () => {
    const yaml = readFileSync(
      path.join(root, 'src', project.package_name, 'defs', 'daily_sales', 'defs.yaml'),
      'utf8',
    );
    expect(yaml).toMatch(/partitions_def:\s*\n\s+type: daily\n\s+start_date: "?2024-01-01"?/);
    const check = await t.app.services.cli.checkDefs(root);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    // dg list defs --json (1.13.27) carries no partitions field in its asset entries: the preview's load does.
    const preview = (
      await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` })
    ).json() as { assets: Array<{ key: string; partitions?: Record<string, unknown> }>; problems: unknown[] };
    expect(preview.problems).toEqual([]);
    expect(preview.assets.map((a) => a.key).sort()).toEqual([
      'sales/daily',
      'sales/monthly',
      'sales/plain',
      'sales/regions',
    ]);
    const parts = Object.fromEntries(preview.assets.map((a) => [a.key, a.partitions]));
    expect(parts['sales/daily']).toMatchObject({
      type: 'time_window',
      description: expect.stringMatching(/^Daily, starting 2024-01-01 UTC/),
      first: '2024-01-01',
    });
    // Monthly with an end offset of 1: the template form; its last partition is the month under way.
    expect(parts['sales/monthly']).toMatchObject({
      description: expect.stringMatching(/^Monthly, starting 2024-01-01 Europe\/Paris/),
      first: '2024-01-01',
      last: `${new Date().toISOString().slice(0, 7)}-01`,
    });
    expect(parts['sales/regions']).toEqual({
      type: 'static',
      description: expect.any(String),
      count: 2,
      first: 'eu',
      last: 'us',
    });
    expect(parts['sales/plain']).toBeUndefined();

    const zip = await t.app.inject({ url: `/api/projects/${project.id}/export.zip` });
    expect(zip.statusCode).toBe(200);
    const file = path.join(scratch, 'export.zip');
    writeFileSync(file, zip.rawPayload);
    execFileSync('python3', ['-m', 'zipfile', '-e', file, scratch]);
    const exported = (label: string) =>
      readFileSync(
        path.join(scratch, project.package_name, 'src', project.package_name, 'defs', label, 'defs.yaml'),
        'utf8',
      );
    expect(exported('daily_sales')).toBe(yaml);
    expect(exported('monthly_report')).toContain(
      "partitions_def: \"{{ dg.MonthlyPartitionsDefinition(start_date='2024-01-01', timezone='Europe/Paris', end_offset=1) }}\"",
    );
  }, 300_000);

  it('refuses what cannot be backfilled with a clear 4xx: an unpartitioned selection, a key outside the partitions, a backwards range, mixed partitions', async () => {
    const rows: Array<[object, number, string, RegExp]> = [
      [{ nodes: ['p'], partition: '2024-01-01' }, 400, 'not_partitioned', /sales\/plain has no partitions/],
      [
        { nodes: ['d'], range: { start: '2023-12-30', end: '2024-01-02' } },
        400,
        'unknown_partition',
        /"2023-12-30" is not a partition of sales\/daily/,
      ],
      [{ nodes: ['r'], range: { start: 'us', end: 'eu' } }, 400, 'bad_range', /starts \(us\) after it ends/],
      [{ nodes: ['d', 'r'], missingOnly: true }, 400, 'mixed_partitions', /partitioned differently/],
      [
        { nodes: ['d', 'p'], partition: '2024-01-01' },
        400,
        'not_partitioned',
        /sales\/plain has no partitions/,
      ],
    ];
    for (const [payload, status, code, message] of rows) {
      const res = await backfill(payload);
      expect(res.statusCode, res.body).toBe(status);
      const error = (res.json() as { error: { code: string; message: string; hint?: string } }).error;
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.hint).toBeTruthy();
    }
  }, 300_000);

  it('backfills a 3-day range as 3 partitions, all materialized, and the partition status says so; missing only then takes the 4th day', async () => {
    const res = await backfill({ nodes: ['d'], range: { start: '2024-01-01', end: '2024-01-03' } });
    expect(res.statusCode, res.body).toBe(201);
    const launched = res.json() as Backfill;
    expect(launched.partitions).toEqual(['2024-01-01', '2024-01-02', '2024-01-03']);
    expect(launched.assets).toEqual(['sales/daily']);
    const done = await until(launched.id, finished, 240_000);
    expect(done.status, JSON.stringify(done)).toBe('COMPLETED_SUCCESS');
    expect(done.runs.map((r) => [r.partition, r.status]).sort()).toEqual([
      ['2024-01-01', 'SUCCESS'],
      ['2024-01-02', 'SUCCESS'],
      ['2024-01-03', 'SUCCESS'],
    ]);
    expect(done.progress).toEqual([
      { asset: 'sales/daily', targeted: 3, materialized: 3, failed: 0, inProgress: 0 },
    ]);

    const status = (
      await t.app.inject({ url: `/api/projects/${project.id}/partitions` })
    ).json() as PartitionStatusAnswer;
    expect(status.instance).toBe('ready');
    const daily = status.assets.find((a) => a.key === 'sales/daily')!;
    expect(daily.counts).toMatchObject({ materialized: 3, failed: 0, inProgress: 0 });
    expect(daily.counts.missing).toBe(daily.counts.total - 3);
    // The selection answer lists each partition's state (the Run dialog's view).
    const selection = (
      await t.app.inject({
        method: 'POST',
        url: `/api/projects/${project.id}/partitions/selection`,
        payload: { nodes: ['r'] },
      })
    ).json() as PartitionStatusAnswer;
    expect(selection.assets).toEqual([
      expect.objectContaining({
        key: 'sales/regions',
        partitions: [
          { key: 'eu', state: 'missing' },
          { key: 'us', state: 'missing' },
        ],
      }),
    ]);

    const missing = await backfill({
      nodes: ['d'],
      range: { start: '2024-01-01', end: '2024-01-04' },
      missingOnly: true,
    });
    expect(missing.statusCode, missing.body).toBe(201);
    expect((missing.json() as Backfill).partitions).toEqual(['2024-01-04']);
    const listed = (await t.app.inject({ url: `/api/projects/${project.id}/backfills` })).json() as {
      backfills: Backfill[];
    };
    expect(listed.backfills.map((b) => b.id)).toEqual([(missing.json() as Backfill).id, launched.id]);
    await until((missing.json() as Backfill).id, finished, 240_000);
  }, 600_000);

  it('cancels a backfill under way: Dagster marks it canceled and its run does not finish as a success', async () => {
    const res = await backfill({ nodes: ['r'], missingOnly: true });
    expect(res.statusCode, res.body).toBe(201);
    const launched = res.json() as Backfill;
    expect(launched.partitions).toEqual(['eu', 'us']);
    // Wait for a run to be under way, then cancel. The script sleeps 90 s: the backfill daemon, which terminates
    // the runs of a canceled backfill, comes round about every 30 s (with 20 s the runs could finish first).
    await until(launched.id, (b) => b.runs.some((r) => r.status === 'STARTED') || finished(b), 180_000);
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/backfills/${launched.id}/cancel`,
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(['CANCELING', 'CANCELED']).toContain((cancel.json() as Backfill).status);
    const done = await until(launched.id, (b) => b.status === 'CANCELED', 180_000);
    expect(done.runs.filter((r) => r.status === 'SUCCESS')).toEqual([]);
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/backfills/nosuchbackfill/cancel`,
    });
    expect(unknown.statusCode).toBe(404);
  }, 600_000);

  it('a daily-partitioned dbt node gets the partition window as dbt vars: a backfill of one day builds with that window', async () => {
    cpSync(path.join(REPO_ROOT, 'fixtures', 'dbt_shop'), path.join(root, 'dbt_shop'), { recursive: true });
    writeFileSync(
      path.join(root, 'dbt_shop', 'models', 'partition_window.sql'),
      `select '{{ var("min_date", "none") }}' as min_date, '{{ var("max_date", "none") }}' as max_date\n`,
    );
    const choice = { kind: 'daily', startDate: '2024-01-01', timezone: 'UTC', endOffset: 0 } as const;
    const dbt = componentNode('b', 'shop_dbt', 'dagster_dbt.DbtProjectComponent', {
      project: '{{ context.project_root }}/dbt_shop',
    });
    dbt.data = withPartitions(dbt.data, choice);
    dbt.data.attributes.cli_args = dbtCliArgsFor(undefined, choice).cliArgs;
    const current = (await t.app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile;
    const saved = await t.app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: {
        version: current.version,
        graph: { ...current.graph, nodes: [...current.graph.nodes, dbt] },
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const preview = (
      await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` })
    ).json() as { assets: Array<{ key: string; partitions?: { description: string } }>; problems: unknown[] };
    expect(preview.problems).toEqual([]);
    expect(preview.assets.find((a) => a.key === 'partition_window')?.partitions?.description).toMatch(
      /^Daily, starting 2024-01-01 UTC/,
    );
    const res = await backfill({ assets: ['partition_window'], partition: '2024-01-02' });
    expect(res.statusCode, res.body).toBe(201);
    const done = await until((res.json() as Backfill).id, finished, 300_000);
    expect(done.status, JSON.stringify(done)).toBe('COMPLETED_SUCCESS');
    // What dbt built: the model read the vars the component resolved from the partition's time window.
    const duckdb = readdirSync(root, { recursive: true })
      .map(String)
      .find((f) => f.endsWith('shop.duckdb') && !f.includes('.venv'));
    expect(duckdb).toBeDefined();
    const row = execFileSync(
      path.join(root, '.venv', 'bin', 'python'),
      [
        '-c',
        `import duckdb; print(duckdb.connect(${JSON.stringify(path.join(root, duckdb!))}, read_only=True).sql("select min_date, max_date from partition_window").fetchall())`,
      ],
      { encoding: 'utf8' },
    );
    expect(row.trim()).toBe("[('2024-01-02T00:00:00', '2024-01-03T00:00:00')]");
  }, 600_000);
  it('a schedule on a daily-partitioned node runs the day that has just ended at each tick; one on an unpartitioned node a plain run', async () => {
    const current = (await t.app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile;
    const schedule = (id: string, label: string): GraphNode => ({
      id,
      type: 'schedule',
      position: { x: 0, y: 0 },
      data: {
        label,
        component_type: scheduleComponentType(project.package_name),
        attributes: { cron_schedule: '0 6 * * *', execution_timezone: 'UTC', default_status: 'STOPPED' },
      },
    });
    const graph = {
      ...current.graph,
      nodes: [...current.graph.nodes, schedule('s1', 'daily_at_six'), schedule('s2', 'plain_at_six')],
      edges: [
        ...current.graph.edges,
        { id: 's1d', source: 's1', target: 'd' },
        { id: 's2p', source: 's2', target: 'p' },
      ],
    };
    const saved = await t.app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: { version: current.version, graph },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const sync = (await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/sync` })).json();
    expect(sync.problems).toEqual([]);
    // Dagster's own evaluation of each schedule's tick at 2024-01-05 06:00 UTC, on the project's definitions.
    const ticks = execFileSync(
      path.join(root, '.venv', 'bin', 'python'),
      [
        '-c',
        [
          'import datetime, json, pathlib',
          'import dagster as dg',
          `d = dg.load_from_defs_folder(path_within_project=pathlib.Path(${JSON.stringify(path.join(root, 'src', project.package_name))}))`,
          'at = datetime.datetime(2024, 1, 5, 6, 0, tzinfo=datetime.timezone.utc)',
          'out = {}',
          "for name in ['daily_at_six', 'plain_at_six']:",
          '    ctx = dg.build_schedule_context(scheduled_execution_time=at, repository_def=d.get_repository_def())',
          '    out[name] = [r.partition_key for r in d.get_schedule_def(name).evaluate_tick(ctx).run_requests]',
          'print(json.dumps(out))',
        ].join('\n'),
      ],
      { encoding: 'utf8', cwd: root },
    );
    expect(JSON.parse(ticks.trim().split('\n').pop()!)).toEqual({
      daily_at_six: ['2024-01-04'],
      plain_at_six: [null],
    });
  }, 300_000);
});
