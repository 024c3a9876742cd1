// Runs with env overrides: the instance's processes have their environment fixed at start, so such a run goes
// through `dg launch` in its own process (with the overrides) against the same DAGSTER_HOME.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { AppError } from '../errors.js';
import type { DagsterCli } from './dagster-cli.js';
import type { Instance } from './dagster-instance.js';
import { graphql } from './graphql/client.js';
import { checkEnvName } from './env-store.js';
import { RECENT_RUN_IDS } from './graphql/runs.js';
import { DAGSTER_HOME_DIR, instanceEnv } from './instance-home.js';
import type { Launch } from './launches.js';
import { userErrorOf } from './run-logs.js';

export class EnvLaunches {
  /** Runs started by `dg launch` with env overrides: their process, to stop on cancel. */
  private launched = new Map<string, ChildProcess>();
  /** Override values given to runs of a project (memory only): answers hide them like .env values. */
  private overrideValues = new Map<string, Set<string>>();

  constructor(
    private readonly cli: DagsterCli | undefined,
    private readonly envOf: (root: string) => Promise<Record<string, string>>,
    /** Which project a run belongs to (the run service's map): a new run nobody owns yet is this launch's. */
    private readonly owners: Map<string, string>,
    private readonly scrub: <T>(root: string, value: T) => Promise<T>,
  ) {}

  /** The override values given to runs of this workspace, to hide in answers. */
  valuesOf(root: string): Iterable<string> {
    return this.overrideValues.get(root) ?? [];
  }

  /** The `dg launch` process of a run, while it runs. */
  processOf(runId: string): ChildProcess | undefined {
    return this.launched.get(runId);
  }

  /** Stops the `dg launch` processes of runs still going (the server is stopping). */
  stopAll(): void {
    for (const child of this.launched.values()) child.kill('SIGTERM');
    this.launched.clear();
  }

  /**
   * A run with env overrides: the instance's processes have their environment fixed at start, so this run goes
   * through `dg launch` (in its own process, with the overrides) against the same DAGSTER_HOME; the webserver
   * sees it in the shared run storage, and everything else (status, logs, cancel) works as for any run.
   */
  async launch(
    launch: Launch,
    instance: Instance,
    keys: string[],
    runConfig: Record<string, unknown>,
    overrides: Record<string, string>,
  ): Promise<{ runId: string }> {
    if (!this.cli)
      throw new AppError(501, 'env_overrides_unavailable', 'This server cannot launch runs with overrides.');
    for (const name of Object.keys(overrides)) checkEnvName(name);
    const root = instance.root;
    const before = new Set(await this.recentRunIds(instance));
    launch.runsBefore = before;
    const args = ['launch', '--assets', keys.join(',')];
    if (Object.keys(runConfig).length > 0) args.push('--config-json', JSON.stringify(runConfig));
    const runEnv = { ...(await this.envOf(root)), ...overrides };
    const child = this.cli.startDg(root, args, {
      env: { ...runEnv, ...instanceEnv(root, runEnv) },
      dagsterHome: path.join(root, DAGSTER_HOME_DIR),
    });
    child.stdout?.resume(); // its output is not needed; reading keeps the pipe from filling
    const values = this.overrideValues.get(root) ?? new Set<string>();
    for (const v of Object.values(overrides)) if (v.length >= 4) values.add(v);
    this.overrideValues.set(root, values);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-6000)));
    const deadline = Date.now() + 180_000;
    for (;;) {
      const fresh =
        launch.runId ??
        (await this.recentRunIds(instance)).find((id) => !before.has(id) && !this.owners.has(id));
      if (fresh) {
        this.owners.set(fresh, instance.projectId);
        this.launched.set(fresh, child);
        child.on('exit', () => this.launched.delete(fresh));
        return { runId: fresh };
      }
      if (child.exitCode !== null || Date.now() > deadline) {
        if (child.exitCode === null) child.kill('SIGTERM');
        const reason = await this.scrub(
          root,
          userErrorOf(stderr) || stderr.trim().split('\n').slice(-3).join(' '),
        );
        throw new AppError(
          400,
          'launch_refused',
          `Dagster did not start the run: ${reason || `dg launch exited with ${child.exitCode}`}`,
          'Check the selection and the run configuration; preview the project to see load errors.',
        );
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  private async recentRunIds(instance: Instance): Promise<string[]> {
    const data = await graphql<{ runsOrError: { results?: Array<{ runId: string }> } }>(
      instance,
      RECENT_RUN_IDS,
    );
    return (data.runsOrError.results ?? []).map((r) => r.runId);
  }
}
