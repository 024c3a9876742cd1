// Runs: from the launch request to its answer, the first log event and SUCCESS for a trivial asset, through our
// API on a warm local instance (and cold, including starting Dagster, whose steps are printed), next to
// `dg launch --assets`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../server/src/app.js';
import { ms, percentile, report, timeIt } from './stats.js';

export async function benchRuns(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-runs-'));
  const app = await buildApp({ dataDir, createWorkspaces: true, prepareCatalog: false });
  try {
    const project = (
      await app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Bench runs' } })
    ).json();
    await app.services.workspaces.settle();
    const root = app.services.workspaces.requireReady(project.id);
    const graph = {
      nodes: [
        {
          id: 'a',
          type: 'component',
          position: { x: 0, y: 0 },
          data: {
            label: 'trivial',
            component_type: 'dagster.PythonScriptComponent',
            attributes: { assets: [{ key: 'bench/trivial' }], execution: { path: 'trivial.py' } },
          },
        },
      ],
      edges: [],
    };
    await app.inject({ method: 'PUT', url: `/api/projects/${project.id}`, payload: { version: 1, graph } });
    await app.inject({ method: 'POST', url: `/api/projects/${project.id}/sync` });
    writeFileSync(
      path.join(root, 'src', 'bench_runs', 'defs', 'trivial', 'trivial.py'),
      'from dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.log.info("ok")\n',
    );

    const dgLaunch: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      dgLaunch.push(
        await timeIt(async () => {
          const r = await app.services.cli.run(
            app.services.cli.venvBin(root, 'dg'),
            ['launch', '--assets', 'bench/trivial'],
            { cwd: root, env: app.services.cli.venvEnv(root) },
          );
          if (r.exitCode !== 0) throw new Error(`dg launch failed: ${r.stderr.slice(-500)}`);
        }),
      );
    }

    let instanceSteps: Array<{ label: string; startedAt?: number; endedAt?: number }> = [];
    const once = async (env?: Record<string, string>) => {
      const started = performance.now();
      const { runId } = (
        await app.inject({
          method: 'POST',
          url: `/api/projects/${project.id}/runs`,
          payload: { assets: ['bench/trivial'], ...(env ? { env } : {}) },
        })
      ).json();
      const launched = performance.now() - started;
      let firstEvent = 0;
      for (;;) {
        const run = (await app.inject({ method: 'GET', url: `/api/runs/${runId}` })).json();
        if (run.launch?.instance?.length) instanceSteps = run.launch.instance;
        if (!firstEvent) {
          const logs = (await app.inject({ method: 'GET', url: `/api/runs/${runId}/logs` })).json();
          if (logs.events.length > 0) firstEvent = performance.now() - started;
        }
        if (['SUCCESS', 'FAILURE', 'CANCELED'].includes(run.status)) {
          if (run.status !== 'SUCCESS') throw new Error(`run ended ${run.status}`);
          const reload = (run.launch?.steps as Array<{ id: string; status: string }> | undefined)?.find(
            (step) => step.id === 'reload',
          );
          return {
            launched,
            firstEvent,
            success: performance.now() - started,
            reloaded: reload?.status === 'done',
          };
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const cold = await once();
    const started = (
      await app.inject({ method: 'GET', url: `/api/projects/${project.id}/instance` })
    ).json() as { steps: typeof instanceSteps };
    if (started.steps.length) instanceSteps = started.steps;
    const warm = [];
    for (let i = 0; i < 3; i += 1) warm.push(await once());
    // With env overrides for the run, it goes through `dg launch` in its own process (same instance storage).
    const overridden = [];
    for (let i = 0; i < 2; i += 1) overridden.push(await once({ BENCH_NOTE: `override-${i}` }));
    const dg = percentile(dgLaunch, 50);
    const success = percentile(
      warm.map((w) => w.success),
      50,
    );
    const took = (s: { startedAt?: number; endedAt?: number }) =>
      s.startedAt && s.endedAt ? ms(s.endedAt - s.startedAt) : '–';
    report('runs (one trivial Python-script asset)', [
      ['dg launch --assets bench/trivial (p50 of 2, in-process, no UI)', ms(dg)],
      [
        'our API, cold (starts dg dev first): launch answered / first log event / SUCCESS',
        `${ms(cold.launched)} / ${ms(cold.firstEvent)} / ${ms(cold.success)}`,
      ],
      [
        'cold instance start, by step',
        instanceSteps.map((step) => `${step.label} ${took(step)}`).join('; ') || '–',
      ],
      [
        'our API, warm instance p50 of 3: launch request answered',
        ms(
          percentile(
            warm.map((w) => w.launched),
            50,
          ),
        ),
      ],
      [
        'our API, warm: to first log event / to SUCCESS',
        `${ms(
          percentile(
            warm.map((w) => w.firstEvent),
            50,
          ),
        )} / ${ms(success)} (${(dg / success).toFixed(1)}× faster than dg launch)`,
      ],
      ['warm runs that reloaded the code location first', `${warm.filter((w) => w.reloaded).length} of 3`],
      [
        'our API with env overrides (dg launch under the hood), p50 of 2: launch answered / SUCCESS',
        `${ms(
          percentile(
            overridden.map((w) => w.launched),
            50,
          ),
        )} / ${ms(
          percentile(
            overridden.map((w) => w.success),
            50,
          ),
        )}`,
      ],
    ]);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
