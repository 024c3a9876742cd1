// Runs through Dagster's GraphQL API: launch (answered at once, then sync, instance start, reload and launch in
// the background as steps), status with steps and materializations, history from Dagster's own run storage,
// logs after a cursor, cancel.
import type { InstanceState, ProjectFile, Run, RunEvent, RunLaunch } from '@designer/shared';
import { AppError, notFound, redactValue } from '../errors.js';
import type { DagsterCli } from './dagster-cli.js';
import type { DagsterInstanceService, Instance } from './dagster-instance.js';
import { checkEnvName } from './env-store.js';
import { graphql } from './graphql/client.js';
import { ASSET_OPS, RUN, RUN_EXISTS, RUNS_PAGE, TERMINATE_RUN } from './graphql/runs.js';
import {
  launchEvents,
  launchSteps,
  LAUNCH_KEEP_MS,
  newLaunch,
  pendingRun,
  type Launch,
  type LaunchOptions,
} from './launches.js';
import { EnvLaunches } from './run-env-launch.js';
import { checkKeys, launchGraphql, runConfigSchema } from './run-launch.js';
import { runLogsPage } from './run-logs.js';
import { keyOf, TERMINAL, toSummary, type RawRun } from './run-summary.js';

// What other modules take from here (deployments read runs of another Dagster the same way).
export { RUN_FIELDS } from './graphql/runs.js';
export { runLogsPage, userErrorOf, type DagsterQuery } from './run-logs.js';
export { LAUNCH_TAG, TERMINAL, toSummary, type RawRun } from './run-summary.js';

export class RunService {
  /** Which project a run belongs to (runs of this server session; older ones are found through history). */
  private owners = new Map<string, string>();
  /** Launches of this session by launch id. */
  private launches = new Map<string, Launch>();

  /** Runs with env overrides, each in its own `dg launch` process. */
  private envLaunches: EnvLaunches;
  /** Per instance: op name → asset keys, to show steps under their nodes (kept for a few seconds). */
  private opAssets = new Map<string, { at: number; map: Map<string, string[]> }>();

  constructor(
    private readonly instances: DagsterInstanceService,
    /** The project's env values: a script that prints one must not get it into an API answer. */
    private readonly envOf: (root: string) => Promise<Record<string, string>> = () => Promise.resolve({}),
    cli?: DagsterCli,
  ) {
    this.envLaunches = new EnvLaunches(cli, envOf, this.owners, (root, value) => this.scrub(root, value));
  }

  private async scrub<T>(root: string, value: T): Promise<T> {
    return redactValue(value, [...Object.values(await this.envOf(root)), ...this.envLaunches.valuesOf(root)]);
  }

  /**
   * Starts a run and answers at once with its launch: `prepare` (the sync), the instance (started when it is
   * not running, with its own steps), a reload of the code location only when a sync changed files since the
   * last load, the asset keys checked, then Dagster's launch — in the background, each as a step.
   * `resolveNodes` turns node ids into their asset keys once the sync is done.
   */
  begin(
    project: ProjectFile,
    root: string,
    options: LaunchOptions,
    prepare: () => Promise<unknown>,
    resolveNodes: (project: ProjectFile, root: string, nodeIds: string[]) => Promise<string[]>,
  ): Launch {
    this.prune();
    for (const name of Object.keys(options.env ?? {})) checkEnvName(name); // refused before anything starts
    const launch = newLaunch(project.id, root, options.assets ?? []);
    this.launches.set(launch.id, launch);
    const { mark, within } = launchSteps(launch);
    launch.done = (async () => {
      await within('sync', prepare);
      const wasReady = this.instances.get(project.id) !== undefined;
      const wasCurrent = this.instances.isCurrent(project.id);
      let instance: Instance;
      if (wasReady) {
        mark('instance', 'done', 'already running');
        if (wasCurrent) mark('reload', 'skipped', 'nothing changed since the last load');
        instance = wasCurrent
          ? await within('instance', () => this.instances.ensure(project.id, root))
          : await within('reload', () => this.instances.ensure(project.id, root));
      } else {
        instance = await within('instance', () => this.instances.ensure(project.id, root));
        mark('reload', 'skipped', 'loaded when the instance started');
      }
      const keys = await within('select', async () => {
        const fromNodes = options.nodes?.length ? await resolveNodes(project, root, options.nodes) : [];
        const wanted = [...new Set([...(options.assets ?? []), ...fromNodes])];
        if (options.nodes?.length && wanted.length === 0)
          throw new AppError(
            400,
            'nothing_to_run',
            'The selected components define no asset.',
            'Preview the project to see what each component defines.',
          );
        return checkKeys(instance, wanted);
      });
      launch.assets = keys;
      const runId = await within('launch', () =>
        options.env && Object.keys(options.env).length > 0
          ? this.envLaunches
              .launch(launch, instance, keys, options.runConfig ?? {}, options.env)
              .then((r) => r.runId)
          : launchGraphql(instance, keys, options.runConfig, launch.id, {
              scrub: (value) => this.scrub(root, value),
              onRun: (id) => this.owners.set(id, instance.projectId),
            }),
      );
      launch.runId = runId;
      launch.endedAt = Date.now();
      this.owners.set(runId, project.id);
      if (launch.canceled) await this.cancel(runId).catch(() => undefined);
      return runId;
    })();
    launch.done.catch(async (error: unknown) => {
      launch.endedAt = Date.now();
      const e =
        error instanceof AppError
          ? error
          : new AppError(500, 'launch_failed', error instanceof Error ? error.message : String(error));
      launch.error = await this.scrub(root, {
        code: e.code,
        message: e.message,
        ...(e.hint ? { hint: e.hint } : {}),
      });
    });
    return launch;
  }

  /** Forgets a launch whose failure was answered to its request (it never was a run). */
  forget(launchId: string): void {
    this.launches.delete(launchId);
  }

  /** Forgets finished launches after an hour (their runs stay in Dagster's storage, tagged). */
  private prune(): void {
    const old = Date.now() - LAUNCH_KEEP_MS;
    for (const [id, l] of this.launches) if (l.endedAt && l.endedAt < old) this.launches.delete(id);
  }

  /** The launch a run id names: a launch id, or the Dagster run id a launch became. */
  private launchOf(id: string): Launch | undefined {
    return this.launches.get(id) ?? [...this.launches.values()].find((l) => l.runId === id);
  }

  private progressOf(l: Launch): RunLaunch {
    const instance = l.steps.find((s) => s.id === 'instance')!;
    const state = this.instances.state(l.projectId);
    return {
      id: l.id,
      steps: l.steps.map((s) => ({ ...s })),
      ...(instance.status === 'running' || (instance.status === 'failed' && state.steps.length)
        ? { instance: state.steps }
        : {}),
      ...(l.error ? { error: l.error } : {}),
    };
  }

  /** Stops the `dg launch` processes of runs still going (the server is stopping). */
  stopAll(): void {
    this.envLaunches.stopAll();
  }

  /** The run configuration a selection takes (GraphQL `runConfigSchemaOrError`), as JSON Schema for a form. */
  async configSchema(projectId: string, root: string, assets?: string[]) {
    return runConfigSchema(await this.instances.ensure(projectId, root), assets);
  }

  private async instanceOf(runId: string): Promise<Instance> {
    const owner = this.owners.get(runId);
    const known = owner ? this.instances.get(owner) : undefined;
    if (known) return known;
    for (const instance of this.instances.list()) {
      const data = await graphql<{ runOrError: { __typename: string } }>(instance, RUN_EXISTS, { id: runId });
      if (data.runOrError.__typename === 'Run') {
        this.owners.set(runId, instance.projectId);
        return instance;
      }
    }
    throw notFound(
      'run_not_found',
      `No run ${runId} in a running Dagster instance.`,
      "Open its project's run history (GET /api/projects/:id/runs) to start the instance.",
    );
  }

  async get(id: string): Promise<Run> {
    const launch = this.launchOf(id);
    if (launch && !launch.runId) return pendingRun(launch, this.progressOf(launch));
    const runId = launch?.runId ?? id;
    const instance = await this.instanceOf(runId);
    const data = await graphql<{ runOrError: RawRun & { __typename: string; message?: string } }>(
      instance,
      RUN,
      { id: runId },
    );
    if (data.runOrError.__typename !== 'Run') throw notFound('run_not_found', `No run ${runId}.`);
    const run = toSummary(instance.projectId, data.runOrError);
    const ops = await this.opAssetsOf(instance).catch(() => new Map<string, string[]>());
    run.steps = run.steps.map((s) => {
      const assets =
        ops.get(s.stepKey) ?? run.materializations.filter((m) => m.stepKey === s.stepKey).map((m) => m.asset);
      return assets.length ? { ...s, assets } : s;
    });
    if (launch) {
      run.launchId = launch.id;
      run.launch = this.progressOf(launch);
    }
    return this.scrub(instance.root, run);
  }

  /** Op name → the asset keys it materializes (a step key is its op's name), cached for a few seconds. */
  private async opAssetsOf(instance: Instance): Promise<Map<string, string[]>> {
    const cached = this.opAssets.get(instance.url);
    if (cached && Date.now() - cached.at < 5000) return cached.map;
    const data = await graphql<{ assetNodes: Array<{ assetKey: { path: string[] }; opNames: string[] }> }>(
      instance,
      ASSET_OPS,
    );
    const map = new Map<string, string[]>();
    for (const node of data.assetNodes)
      for (const op of node.opNames) map.set(op, [...(map.get(op) ?? []), keyOf(node.assetKey.path)]);
    this.opAssets.set(instance.url, { at: Date.now(), map });
    return map;
  }

  async wait(runId: string, timeoutMs: number): Promise<Run> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.get(runId);
      if (TERMINAL.has(run.status)) return run;
      if (Date.now() > deadline)
        throw new AppError(
          504,
          'run_still_going',
          `Run ${runId} is still ${run.status} after ${Math.round(timeoutMs / 1000)} s.`,
          `It keeps running: follow it with GET /api/runs/${runId}.`,
        );
      await new Promise((r) => setTimeout(r, 400));
    }
  }

  /**
   * Run history, newest first: launches still on their way (or that failed before Dagster had them) first, then
   * Dagster's own run storage. It never waits for an instance to start: while one starts (it is started here
   * when it is not running) the answer says so, with the instance's steps.
   */
  async history(
    projectId: string,
    root: string,
    limit: number,
    cursor?: string,
  ): Promise<{ runs: Run[]; cursor: string | null; instance: InstanceState }> {
    const pendingNow = () =>
      cursor
        ? []
        : [...this.launches.values()]
            .filter((l) => l.projectId === projectId && !l.runId)
            .sort((a, b) => b.createdAt - a.createdAt)
            .map((l) => pendingRun(l, this.progressOf(l)));
    const pending = pendingNow();
    let instance = this.instances.get(projectId);
    if (!instance) {
      // A start that failed is retried by a run or POST …/instance, not by every look at the history.
      const known = this.instances.state(projectId);
      const state = known.status === 'failed' ? known : this.instances.warm(projectId, root);
      if (state.status !== 'ready') return this.scrub(root, { runs: pending, cursor: null, instance: state });
      instance = this.instances.get(projectId)!;
    }
    const data = await graphql<{ runsOrError: { __typename: string; results?: RawRun[] } }>(
      instance,
      RUNS_PAGE,
      { limit, cursor: cursor ?? null },
    );
    const runs = (data.runsOrError.results ?? []).map((r) => toSummary(projectId, r));
    // A `dg launch` still looking for its run: the new run is its run (it would otherwise show twice).
    for (const l of this.launches.values()) {
      if (l.projectId !== projectId || l.runId || !l.runsBefore) continue;
      const fresh = [...runs].reverse().find((r) => !l.runsBefore!.has(r.runId) && !this.owners.has(r.runId));
      if (fresh) {
        l.runId = fresh.runId;
        this.owners.set(fresh.runId, projectId);
      }
    }
    for (const r of runs) this.owners.set(r.runId, projectId);
    const when = (r: Run) => r.creationTime ?? r.startTime ?? 0;
    return this.scrub(root, {
      runs: [...pendingNow(), ...runs].sort((a, b) => when(b) - when(a)),
      cursor: runs.length === limit ? runs[runs.length - 1]!.runId : null,
      instance: this.instances.state(projectId),
    });
  }

  async logs(
    id: string,
    cursor?: string,
  ): Promise<{ events: RunEvent[]; cursor: string | null; hasMore: boolean }> {
    const launch = this.launchOf(id);
    if (launch && !launch.runId) return launchEvents(launch, cursor);
    const runId = launch?.runId ?? id;
    const instance = await this.instanceOf(runId);
    return this.scrub(
      instance.root,
      await runLogsPage(
        <T>(doc: string, vars: Record<string, unknown>) => graphql<T>(instance, doc, vars),
        runId,
        cursor,
      ),
    );
  }

  async cancel(id: string): Promise<{ runId: string; status: string }> {
    const launch = this.launchOf(id);
    if (launch && !launch.runId) {
      if (launch.error)
        throw new AppError(409, 'cancel_refused', 'The run never started: there is nothing to cancel.');
      launch.canceled = true; // the launch stops before its next step (or cancels the run it just made)
      return { runId: id, status: 'CANCELED' };
    }
    const runId = launch?.runId ?? id;
    const instance = await this.instanceOf(runId);
    // A run in its own `dg launch` process stops when that process is interrupted (as with Ctrl-C).
    const own = this.envLaunches.processOf(runId);
    if (own) {
      own.kill('SIGINT');
      return { runId, status: (await this.wait(runId, 60_000)).status };
    }
    const data = await graphql<{ terminateRun: { __typename: string; message?: string } }>(
      instance,
      TERMINATE_RUN,
      { id: runId },
    );
    if (data.terminateRun.__typename !== 'TerminateRunSuccess') {
      throw new AppError(
        409,
        'cancel_refused',
        `The run could not be cancelled: ${data.terminateRun.message ?? data.terminateRun.__typename}`,
        'A run that already finished cannot be cancelled.',
      );
    }
    return { runId, status: (await this.get(runId)).status };
  }
}
