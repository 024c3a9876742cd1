// Scheduling latency on the local instance: a `* * * * *` schedule node (on by default) and an asset sensor node,
// written by the designer, run by the project's own `dg dev` daemon. For each tick: the tick's scheduled time → the
// run created → the run started; for each materialization of the watched asset: its event → the sensor's run created.
// Printed next to the intervals Dagster's own source fixes (read from the installed dagster, not assumed).
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assetSensorComponentType, scheduleComponentType } from '@designer/shared';
import { buildApp } from '../server/src/app.js';
import { graphql, type Instance } from '../server/src/services/dagster-instance.js';
import { percentile, report } from './stats.js';

const TICKS = 3;
const SENSOR_EVENTS = 2;
const SCHEDULE = 'every_minute';
const SENSOR = 'on_source';

const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const node = (id: string, label: string, key: string) => ({
  id,
  type: 'component',
  position: { x: 0, y: 0 },
  data: {
    label,
    component_type: 'dagster.PythonScriptComponent',
    attributes: { assets: [{ key }], execution: { path: `${label}.py` } },
  },
});

/** What the installed dagster says about its daemons' rhythm (so the printed comparison is not from memory). */
function dagsterIntervals(root: string): Array<[string, string]> {
  const site = path.join(root, '.venv', 'lib', 'python3.11', 'site-packages', 'dagster');
  const grab = (file: string, re: RegExp) => re.exec(readFileSync(path.join(site, file), 'utf8'))?.[1] ?? '?';
  const minuteAligned = /last_minute_time \+ SECONDS_IN_MINUTE/.test(
    readFileSync(path.join(site, '_scheduler', 'scheduler.py'), 'utf8'),
  );
  return [
    [
      "Dagster's scheduler daemon loop (_get_next_scheduler_iteration_time)",
      minuteAligned ? 'wakes at every minute boundary (60 s)' : 'see dagster/_scheduler/scheduler.py',
    ],
    [
      "Dagster's default daemon interval (DEFAULT_DAEMON_INTERVAL_SECONDS)",
      `${grab('_daemon/controller.py', /DEFAULT_DAEMON_INTERVAL_SECONDS = (\d+)/)} s`,
    ],
    [
      "a sensor's default minimum interval (DEFAULT_SENSOR_DAEMON_INTERVAL)",
      `${grab('_core/definitions/sensor_definition.py', /DEFAULT_SENSOR_DAEMON_INTERVAL = (\d+)/)} s`,
    ],
  ];
}

interface RawRun {
  runId: string;
  creationTime: number;
  startTime: number | null;
}
const runsTagged = async (instance: Instance, tag: string, value: string) =>
  (
    await graphql<{ runsOrError: { results: RawRun[] } }>(
      instance,
      `{ runsOrError(filter: { tags: [{ key: "${tag}", value: "${value}" }] }) { ... on Runs { results { runId creationTime startTime } } } }`,
    )
  ).runsOrError.results;

async function until<T>(timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function benchSchedules(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-schedules-'));
  const app = await buildApp({ dataDir, createWorkspaces: true, prepareCatalog: false });
  try {
    const project = (
      await app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Bench schedules' } })
    ).json();
    await app.services.workspaces.settle();
    const root = app.services.workspaces.requireReady(project.id);
    const pkg = project.package_name as string;
    const graph = {
      nodes: [
        node('a', 'ticked', 'bench/ticked'),
        node('w', 'source', 'bench/source'),
        node('b', 'sensed', 'bench/sensed'),
        {
          id: 's',
          type: 'schedule',
          position: { x: 0, y: 0 },
          data: {
            label: SCHEDULE,
            component_type: scheduleComponentType(pkg),
            attributes: { cron_schedule: '* * * * *', execution_timezone: 'UTC', default_status: 'RUNNING' },
          },
        },
        {
          id: 'x',
          type: 'schedule',
          position: { x: 0, y: 0 },
          data: {
            label: SENSOR,
            component_type: assetSensorComponentType(pkg),
            attributes: { asset_key: 'bench/source', default_status: 'RUNNING' },
          },
        },
      ],
      edges: [
        { id: 'sa', source: 's', target: 'a' },
        { id: 'xb', source: 'x', target: 'b' },
      ],
    };
    await app.inject({ method: 'PUT', url: `/api/projects/${project.id}`, payload: { version: 1, graph } });
    const sync = (await app.inject({ method: 'POST', url: `/api/projects/${project.id}/sync` })).json();
    if (sync.problems.length) throw new Error(`sync: ${JSON.stringify(sync.problems)}`);
    for (const label of ['ticked', 'source', 'sensed'])
      writeFileSync(
        path.join(root, 'src', pkg, 'defs', label, `${label}.py`),
        'from dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.log.info("ok")\n',
      );
    const startedAt = Date.now();
    const instance = await app.services.instances.ensure(project.id, root);
    const instanceMs = Date.now() - startedAt;

    // Asset sensor: materialize the watched asset, then time its event → the sensor's run (sequentially).
    const sensed: Array<{ created: number; started: number | null }> = [];
    await new Promise((r) => setTimeout(r, 35_000)); // a first sensor tick records where the event log is
    for (let i = 0; i < SENSOR_EVENTS; i += 1) {
      const before = (await runsTagged(instance, 'dagster/sensor_name', SENSOR)).length;
      const { runId } = (
        await app.inject({
          method: 'POST',
          url: `/api/projects/${project.id}/runs`,
          payload: { assets: ['bench/source'], wait: true },
        })
      ).json();
      // The materialization's own event time (milliseconds, as a string).
      const materialized = await graphql<{
        assetOrError: { assetMaterializations: Array<{ runId: string; timestamp: string }> };
      }>(
        instance,
        '{ assetOrError(assetKey: { path: ["bench", "source"] }) { ... on Asset { assetMaterializations(limit: 1) { runId timestamp } } } }',
      );
      const latest = materialized.assetOrError.assetMaterializations[0];
      if (!latest || latest.runId !== runId)
        throw new Error(`no materialization of bench/source by run ${runId}`);
      const eventAt = Number(latest.timestamp) / 1000;
      const run = await until(180_000, async () => {
        const runs = await runsTagged(instance, 'dagster/sensor_name', SENSOR);
        return runs.length > before ? runs[0] : undefined;
      });
      const done = await until(180_000, async () => {
        const r = (await runsTagged(instance, 'dagster/sensor_name', SENSOR)).find(
          (x) => x.runId === run.runId,
        );
        return r?.startTime ? r : undefined;
      });
      sensed.push({
        created: (done.creationTime - eventAt) * 1000,
        started: done.startTime === null ? null : (done.startTime - eventAt) * 1000,
      });
    }

    // Schedule: each tick's scheduled time (Dagster records it as the tick's timestamp) → its run.
    const ticks = await until(TICKS * 60_000 + 180_000, async () => {
      const data = await graphql<{
        scheduleOrError: {
          scheduleState: { ticks: Array<{ timestamp: number; runIds: string[]; status: string }> };
        };
      }>(
        instance,
        `
          query ($s: ScheduleSelector!) {
            scheduleOrError(scheduleSelector: $s) {
              ... on Schedule {
                scheduleState {
                  ticks(limit: 20) {
                    timestamp
                    runIds
                    status
                  }
                }
              }
            }
          }
        `,
        {
          s: {
            repositoryLocationName: instance.location,
            repositoryName: '__repository__',
            scheduleName: SCHEDULE,
          },
        },
      );
      const done = data.scheduleOrError.scheduleState.ticks.filter(
        (t) => t.status === 'SUCCESS' && t.runIds.length,
      );
      return done.length >= TICKS ? done.slice(0, TICKS) : undefined;
    });
    const scheduled = await until(180_000, async () => {
      const runs = await runsTagged(instance, 'dagster/schedule_name', SCHEDULE);
      const rows = ticks.map((t) => {
        const run = runs.find((r) => r.runId === t.runIds[0]);
        return run?.startTime
          ? {
              created: (run.creationTime - t.timestamp) * 1000,
              started: (run.startTime - t.timestamp) * 1000,
            }
          : undefined;
      });
      return rows.every(Boolean) ? (rows as Array<{ created: number; started: number }>) : undefined;
    });

    const load = os.loadavg()[0]!.toFixed(1);
    const list = (xs: number[]) => xs.map(sec).join(', ');
    report(`scheduling latency on the local instance (load average ${load}, ${os.cpus().length} cores)`, [
      ['local instance started (dg dev: webserver + daemon)', sec(instanceMs)],
      [
        `schedule * * * * *: tick time → run created (${TICKS} ticks)`,
        `${list(scheduled.map((r) => r.created))}; p50 ${sec(
          percentile(
            scheduled.map((r) => r.created),
            50,
          ),
        )}`,
      ],
      [
        'schedule: tick time → run started',
        `${list(scheduled.map((r) => r.started))}; p50 ${sec(
          percentile(
            scheduled.map((r) => r.started),
            50,
          ),
        )}`,
      ],
      [
        `asset sensor (default interval): materialization → run created (${SENSOR_EVENTS} events)`,
        `${list(sensed.map((r) => r.created))}; p50 ${sec(
          percentile(
            sensed.map((r) => r.created),
            50,
          ),
        )}`,
      ],
      [
        'asset sensor: materialization → run started',
        list(sensed.map((r) => r.started).filter((x): x is number => x !== null)),
      ],
      ...dagsterIntervals(root),
    ]);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
