// Runs through Dagster's GraphQL API: launch (answered at once, then sync, instance start, reload and launch in
// the background as steps), status with steps and materializations, history from Dagster's own run storage,
// logs after a cursor, cancel.
import {
  hasUserConfig,
  runConfigJsonSchema,
  type ConfigType,
  type JsonSchema,
  type ProgressStep,
  type ProjectFile,
  type Run,
  type RunEvent,
  type RunLaunch,
} from '@designer/shared';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { AppError, notFound, redactValue } from '../errors.js';
import type { DagsterCli } from './dagster-cli.js';
import { EVALUATION_FIELDS, evaluationOf, type RawEvaluation } from './asset-checks.js';
import { DAGSTER_HOME_DIR, instanceEnv } from './dagster-instance.js';
import { checkEnvName } from './env-store.js';
import { graphql, type DagsterInstanceService, type Instance } from './dagster-instance.js';
import type { InstanceState } from '@designer/shared';

export const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);
/** The tag that carries the designer's launch id on the Dagster run (so history maps both ids, even later). */
export const LAUNCH_TAG = 'dagster-designer/launch';
export const RUN_FIELDS = `runId status startTime endTime creationTime
  tags { key value }
  assetSelection { path }
  stepStats { stepKey status startTime endTime }
  assetMaterializations { assetKey { path } timestamp stepKey metadataEntries { label __typename
    ... on IntMetadataEntry { intValue } ... on FloatMetadataEntry { floatValue } ... on TextMetadataEntry { text }
    ... on BoolMetadataEntry { boolValue } ... on JsonMetadataEntry { jsonString } ... on PathMetadataEntry { path }
    ... on UrlMetadataEntry { url } ... on MarkdownMetadataEntry { mdStr } } }`;

interface MetadataEntry {
  label: string;
  __typename: string;
  intValue?: number;
  floatValue?: number;
  text?: string;
  boolValue?: boolean;
  jsonString?: string;
  path?: string;
  url?: string;
  mdStr?: string;
}

/** Dagster's typed metadata entries as plain values. */
function metadataOf(entries: MetadataEntry[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of entries ?? []) {
    if (e.jsonString !== undefined) {
      try {
        out[e.label] = JSON.parse(e.jsonString);
      } catch {
        out[e.label] = e.jsonString;
      }
      continue;
    }
    out[e.label] =
      e.intValue ??
      e.floatValue ??
      e.text ??
      e.boolValue ??
      e.path ??
      e.url ??
      e.mdStr ??
      `(${e.__typename.replace(/MetadataEntry$/, '')})`;
  }
  return out;
}

export interface RawRun {
  runId: string;
  status: string;
  startTime: number | null;
  endTime: number | null;
  creationTime: number | null;
  tags?: Array<{ key: string; value: string }>;
  assetSelection: Array<{ path: string[] }> | null;
  stepStats: Run['steps'];
  assetMaterializations: Array<{
    assetKey: { path: string[] };
    timestamp: string;
    stepKey: string | null;
    metadataEntries?: MetadataEntry[];
  }>;
}

const keyOf = (path: string[]) => path.join('/');
export const toSummary = (projectId: string, r: RawRun): Run => ({
  runId: r.runId,
  ...(r.tags?.find((t) => t.key === LAUNCH_TAG)
    ? { launchId: r.tags.find((t) => t.key === LAUNCH_TAG)!.value }
    : {}),
  projectId,
  status: r.status,
  startTime: r.startTime,
  endTime: r.endTime,
  creationTime: r.creationTime,
  assets: (r.assetSelection ?? []).map((a) => keyOf(a.path)),
  steps: r.stepStats,
  materializations: r.assetMaterializations.map((m) => ({
    asset: keyOf(m.assetKey.path),
    timestamp: m.timestamp,
    stepKey: m.stepKey,
    metadata: metadataOf(m.metadataEntries),
  })),
});

export interface LaunchOptions {
  /** Asset keys to run; with `nodes` too, both. Neither: every asset. */
  assets?: string[];
  /** Node ids whose assets to run, resolved after the sync (so a key edited a moment ago is the one run). */
  nodes?: string[];
  runConfig?: Record<string, unknown>;
  env?: Record<string, string>;
}

/** A launch the designer started: what happens before Dagster has the run (it is LAUNCHING until then). */
export interface Launch {
  id: string;
  projectId: string;
  root: string;
  createdAt: number;
  endedAt?: number;
  assets: string[];
  steps: ProgressStep[];
  error?: RunLaunch['error'];
  canceled: boolean;
  /** Dagster's run id, once Dagster has the run. */
  runId?: string;
  /**
   * A launch through `dg launch` (env overrides) learns its run id by looking for a new run: the run ids Dagster
   * had before it, so that whoever sees the new run first (the launch or a look at the history) claims it.
   */
  runsBefore?: Set<string>;
  /** Settles with Dagster's run id, or fails with the reason the run could not start. */
  done: Promise<string>;
}

const LAUNCH_STEPS: Array<[string, string]> = [
  ['sync', 'Write the graph into the Dagster project'],
  ['instance', 'Start the local Dagster instance'],
  ['reload', 'Reload the definitions'],
  ['select', 'Check the asset keys'],
  ['launch', 'Hand the run to Dagster'],
];
const LAUNCH_KEEP_MS = 60 * 60_000;
/** The in-process executor (what `dg launch` uses): no process per step. Used when the run config has none. */
const IN_PROCESS = { config: { in_process: {} } };

export class RunService {
  /** Which project a run belongs to (runs of this server session; older ones are found through history). */
  private owners = new Map<string, string>();
  /** Launches of this session by launch id. */
  private launches = new Map<string, Launch>();

  /** Runs started by `dg launch` with env overrides: their process, to stop on cancel. */
  private launched = new Map<string, ChildProcess>();
  /** Override values given to runs of a project (memory only): answers hide them like .env values. */
  private overrideValues = new Map<string, Set<string>>();
  /** Per instance: op name → asset keys, to show steps under their nodes (kept for a few seconds). */
  private opAssets = new Map<string, { at: number; map: Map<string, string[]> }>();

  constructor(
    private readonly instances: DagsterInstanceService,
    /** The project's env values: a script that prints one must not get it into an API answer. */
    private readonly envOf: (root: string) => Promise<Record<string, string>> = () => Promise.resolve({}),
    private readonly cli?: DagsterCli,
  ) {}

  private async scrub<T>(root: string, value: T): Promise<T> {
    return redactValue(value, [
      ...Object.values(await this.envOf(root)),
      ...(this.overrideValues.get(root) ?? []),
    ]);
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
    const launch: Launch = {
      id: randomUUID(),
      projectId: project.id,
      root,
      createdAt: Date.now(),
      assets: [...(options.assets ?? [])],
      steps: LAUNCH_STEPS.map(([id, label]) => ({ id, label, status: 'pending' as const })),
      canceled: false,
      done: Promise.resolve(''),
    };
    this.launches.set(launch.id, launch);
    const step = (id: string) => launch.steps.find((s) => s.id === id)!;
    const mark = (id: string, status: ProgressStep['status'], detail?: string) => {
      const s = step(id);
      if (status === 'running') s.startedAt = Date.now();
      else s.endedAt = Date.now();
      s.status = status;
      if (detail) s.detail = detail;
    };
    const within = async <T>(id: string, work: () => Promise<T>): Promise<T> => {
      if (launch.canceled)
        throw new AppError(409, 'launch_canceled', 'The run was cancelled before it started.');
      mark(id, 'running');
      try {
        const result = await work();
        if (step(id).status === 'running') mark(id, 'done');
        return result;
      } catch (error) {
        mark(id, 'failed');
        throw error;
      }
    };
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
        return this.checkKeys(instance, wanted);
      });
      launch.assets = keys;
      const runId = await within('launch', () =>
        options.env && Object.keys(options.env).length > 0
          ? this.launchWithEnv(launch, instance, keys, options.runConfig ?? {}, options.env).then(
              (r) => r.runId,
            )
          : this.launchGraphql(instance, root, keys, options.runConfig, launch.id),
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

  /** What a launch looks like as a run before Dagster has it: LAUNCHING, or FAILURE/CANCELED with the reason. */
  private pendingRun(l: Launch): Run {
    const status = l.canceled ? 'CANCELED' : l.error ? 'FAILURE' : 'LAUNCHING';
    return {
      runId: l.id,
      projectId: l.projectId,
      status,
      startTime: l.createdAt / 1000,
      endTime: status === 'LAUNCHING' ? null : (l.endedAt ?? Date.now()) / 1000,
      creationTime: l.createdAt / 1000,
      assets: l.assets,
      steps: [],
      launchId: l.id,
      launch: this.progressOf(l),
      materializations: [],
    };
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

  /** The requested keys, checked against the loaded definitions; none means every executable asset. */
  private async checkKeys(instance: Instance, wanted: string[]): Promise<string[]> {
    const data = await graphql<{
      assetNodes: Array<{ assetKey: { path: string[] }; isExecutable: boolean }>;
    }>(instance, '{ assetNodes { assetKey { path } isExecutable } }');
    const executable = new Set(
      data.assetNodes.filter((a) => a.isExecutable).map((a) => keyOf(a.assetKey.path)),
    );
    if (wanted.length === 0) {
      if (executable.size === 0)
        throw new AppError(
          400,
          'nothing_to_run',
          'This project defines no asset that can be materialized.',
          'Add a component, preview, then run.',
        );
      return [...executable].sort();
    }
    const all = new Set(data.assetNodes.map((a) => keyOf(a.assetKey.path)));
    const missing = wanted.filter((k) => !all.has(k));
    if (missing.length > 0)
      throw new AppError(
        400,
        'unknown_assets',
        `The project defines no asset ${missing.map((k) => `"${k}"`).join(', ')} (any more).`,
        `A key was renamed or a component removed since it was selected: select the components again and run (the designer runs a component's current keys). Known keys: ${[...executable].sort().slice(0, 12).join(', ') || 'none'}.`,
      );
    const external = wanted.filter((k) => !executable.has(k));
    if (external.length > 0)
      throw new AppError(
        400,
        'not_materializable',
        `${external.join(', ')} cannot be materialized here (an external or source asset).`,
        'Run the components that produce it instead.',
      );
    return wanted;
  }

  private async launchGraphql(
    instance: Instance,
    root: string,
    keys: string[],
    runConfig: Record<string, unknown> | undefined,
    launchId: string,
  ): Promise<string> {
    const given = runConfig ?? {};
    // The in-process executor, as `dg launch` does, unless the user chose one: no process start per step.
    const chosen = 'execution' in given ? given : { ...given, execution: IN_PROCESS };
    try {
      return await this.launchOnce(instance, root, keys, chosen, launchId);
    } catch (error) {
      // A project whose own executor takes other config: fall back to its default.
      if (chosen !== given && error instanceof AppError && error.code === 'invalid_run_config')
        return this.launchOnce(instance, root, keys, given, launchId);
      throw error;
    }
  }

  private async launchOnce(
    instance: Instance,
    root: string,
    keys: string[],
    runConfig: Record<string, unknown>,
    launchId: string,
  ): Promise<string> {
    const data = await graphql<{
      launchPipelineExecution: {
        __typename: string;
        run?: { runId: string };
        message?: string;
        errors?: Array<{ message: string }>;
      };
    }>(
      instance,
      `
        mutation ($params: ExecutionParams!) {
          launchPipelineExecution(executionParams: $params) {
            __typename
            ... on LaunchRunSuccess {
              run {
                runId
              }
            }
            ... on PythonError {
              message
            }
            ... on InvalidSubsetError {
              message
            }
            ... on RunConfigValidationInvalid {
              errors {
                message
              }
            }
            ... on PipelineNotFoundError {
              message
            }
            ... on InvalidStepError {
              invalidStepKey
            }
            ... on ConflictingExecutionParamsError {
              message
            }
            ... on PresetNotFoundError {
              message
            }
            ... on UnauthorizedError {
              message
            }
          }
        }
      `,
      {
        params: {
          selector: this.selector(instance, keys),
          runConfigData: runConfig,
          executionMetadata: { tags: [{ key: LAUNCH_TAG, value: launchId }] },
        },
      },
    );
    // Dagster's messages may quote the project's env values (a load error): they never reach an answer.
    const result = await this.scrub(root, data.launchPipelineExecution);
    switch (result.__typename) {
      case 'LaunchRunSuccess':
        this.owners.set(result.run!.runId, instance.projectId);
        return result.run!.runId;
      case 'InvalidSubsetError':
        throw new AppError(
          400,
          'invalid_asset_selection',
          `Dagster cannot run that selection: ${result.message}`,
          'Preview the project to see which asset keys exist.',
        );
      case 'RunConfigValidationInvalid':
        throw new AppError(
          400,
          'invalid_run_config',
          `The run configuration is not valid: ${(result.errors ?? []).map((e) => e.message).join('; ')}`,
          "Check the run configuration against the job's config schema.",
        );
      case 'PythonError':
        throw new AppError(
          502,
          'dagster_python_error',
          `Dagster failed to launch the run: ${result.message}`,
          'Preview the project: a component that fails to load stops every run.',
        );
      default:
        throw new AppError(
          400,
          'launch_refused',
          `Dagster refused the run (${result.__typename}): ${result.message ?? ''}`.trim(),
        );
    }
  }

  /**
   * A run with env overrides: the instance's processes have their environment fixed at start, so this run goes
   * through `dg launch` (in its own process, with the overrides) against the same DAGSTER_HOME; the webserver
   * sees it in the shared run storage, and everything else (status, logs, cancel) works as for any run.
   */
  private async launchWithEnv(
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
      '{ runsOrError(limit: 10) { ... on Runs { results { runId } } } }',
    );
    return (data.runsOrError.results ?? []).map((r) => r.runId);
  }

  /** Stops the `dg launch` processes of runs still going (the server is stopping). */
  stopAll(): void {
    for (const child of this.launched.values()) child.kill('SIGTERM');
    this.launched.clear();
  }

  /** The asset keys to run: the given ones, or every executable asset of the instance. */
  private async selection(instance: Instance, assets?: string[]): Promise<string[]> {
    if (assets && assets.length > 0) return assets;
    const data = await graphql<{
      assetNodes: Array<{ assetKey: { path: string[] }; isExecutable: boolean }>;
    }>(instance, '{ assetNodes { assetKey { path } isExecutable } }');
    const keys = data.assetNodes.filter((a) => a.isExecutable).map((a) => keyOf(a.assetKey.path));
    if (keys.length === 0)
      throw new AppError(
        400,
        'nothing_to_run',
        'This project defines no asset that can be materialized.',
        'Add a component, preview, then run.',
      );
    return keys;
  }

  /** The run configuration a selection takes (GraphQL `runConfigSchemaOrError`), as JSON Schema for a form. */
  async configSchema(
    projectId: string,
    root: string,
    assets?: string[],
  ): Promise<{ schema: JsonSchema; hasConfig: boolean; assets: string[] }> {
    const instance = await this.instances.ensure(projectId, root);
    const keys = await this.selection(instance, assets);
    const data = await graphql<{
      runConfigSchemaOrError: {
        __typename: string;
        message?: string;
        rootConfigType?: { key: string };
        allConfigTypes?: ConfigType[];
      };
    }>(
      instance,
      `
        query ($selector: PipelineSelector!) {
          runConfigSchemaOrError(selector: $selector) {
            __typename
            ... on RunConfigSchema {
              rootConfigType {
                key
              }
              allConfigTypes {
                __typename
                key
                description
                isSelector
                typeParamKeys
                ... on RegularConfigType {
                  givenName
                }
                ... on EnumConfigType {
                  givenName
                  values {
                    value
                    description
                  }
                }
                ... on CompositeConfigType {
                  fields {
                    name
                    description
                    isRequired
                    configTypeKey
                    defaultValueAsJson
                  }
                }
                ... on ScalarUnionConfigType {
                  scalarTypeKey
                  nonScalarTypeKey
                }
              }
            }
            ... on PythonError {
              message
            }
            ... on InvalidSubsetError {
              message
            }
            ... on PipelineNotFoundError {
              message
            }
          }
        }
      `,
      { selector: this.selector(instance, keys) },
    );
    const result = data.runConfigSchemaOrError;
    if (result.__typename !== 'RunConfigSchema')
      throw new AppError(
        result.__typename === 'PythonError' ? 502 : 400,
        'run_config_schema_unavailable',
        `Dagster cannot give the run configuration of that selection: ${result.message ?? result.__typename}`,
        'Preview the project to see which asset keys exist and whether the definitions load.',
      );
    const schema = runConfigJsonSchema(result.rootConfigType!.key, result.allConfigTypes ?? []);
    return { schema, hasConfig: hasUserConfig(schema), assets: keys };
  }

  private selector(instance: Instance, keys: string[]) {
    return {
      repositoryLocationName: instance.location,
      repositoryName: '__repository__',
      pipelineName: '__ASSET_JOB',
      assetSelection: keys.map((k) => ({ path: k.split('/') })),
    };
  }

  private async instanceOf(runId: string): Promise<Instance> {
    const owner = this.owners.get(runId);
    const known = owner ? this.instances.get(owner) : undefined;
    if (known) return known;
    for (const instance of this.instances.list()) {
      const data = await graphql<{ runOrError: { __typename: string } }>(
        instance,
        'query($id: ID!) { runOrError(runId: $id) { __typename } }',
        { id: runId },
      );
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
    if (launch && !launch.runId) return this.pendingRun(launch);
    const runId = launch?.runId ?? id;
    const instance = await this.instanceOf(runId);
    const data = await graphql<{ runOrError: RawRun & { __typename: string; message?: string } }>(
      instance,
      `query($id: ID!) { runOrError(runId: $id) { __typename ... on Run { ${RUN_FIELDS} } ... on RunNotFoundError { message } } }`,
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
      '{ assetNodes { assetKey { path } opNames } }',
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
            .map((l) => this.pendingRun(l));
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
      `query($limit: Int, $cursor: String) { runsOrError(limit: $limit, cursor: $cursor) { __typename ... on Runs { results { ${RUN_FIELDS} } } } }`,
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
    if (launch && !launch.runId) {
      // Before Dagster has the run there are no events; a launch that failed tells why, as one event.
      const events: RunEvent[] = launch.error
        ? [
            {
              type: 'LaunchFailure',
              message: launch.error.message,
              timestamp: String(launch.endedAt ?? Date.now()),
              level: 'ERROR',
              stepKey: null,
              ...(launch.error.hint ? { error: launch.error.hint } : {}),
            },
          ]
        : [];
      return {
        events: cursor === 'launch' ? [] : events,
        cursor: events.length ? 'launch' : null,
        hasMore: false,
      };
    }
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
    const own = this.launched.get(runId);
    if (own) {
      own.kill('SIGINT');
      return { runId, status: (await this.wait(runId, 60_000)).status };
    }
    const data = await graphql<{ terminateRun: { __typename: string; message?: string } }>(
      instance,
      'mutation($id: String!) { terminateRun(runId: $id) { __typename ... on TerminateRunFailure { message } ... on PythonError { message } ... on RunNotFoundError { message } } }',
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

/** Asks one Dagster GraphQL API (the local instance's, a deployment's). */
export type DagsterQuery = <T>(query: string, variables: Record<string, unknown>) => Promise<T>;

/**
 * One page of a run's log events after a cursor, from any Dagster GraphQL API; a failed step's own error is
 * read from its captured stderr (a Pipes subprocess tells Dagster only its exit code).
 */
export async function runLogsPage(
  query: DagsterQuery,
  runId: string,
  cursor?: string,
): Promise<{ events: RunEvent[]; cursor: string | null; hasMore: boolean }> {
  const data = await query<{
    logsForRun: {
      __typename: string;
      cursor?: string;
      hasMore?: boolean;
      events?: Array<{
        __typename: string;
        message: string;
        timestamp: string;
        level: string;
        stepKey: string | null;
        error?: { message: string; causes?: Array<{ message: string }> } | null;
        fileKey?: string;
        stepKeys?: string[] | null;
        evaluation?: RawEvaluation;
      }>;
    };
  }>(
    `
      query ($id: ID!, $cursor: String) {
        logsForRun(runId: $id, afterCursor: $cursor) {
          __typename
          ... on EventConnection {
            cursor
            hasMore
            events {
              __typename
              ... on MessageEvent {
                message
                timestamp
                level
                stepKey
              }
              ... on ExecutionStepFailureEvent {
                error {
                  message
                  causes {
                    message
                  }
                }
              }
              ... on RunFailureEvent {
                error {
                  message
                  causes {
                    message
                  }
                }
              }
              ... on LogsCapturedEvent {
                fileKey
                stepKeys
              }
              ... on AssetCheckEvaluationEvent {
                evaluation { ${EVALUATION_FIELDS} }
              }
            }
          }
        }
      }
    `,
    { id: runId, cursor: cursor ?? null },
  );
  const log = data.logsForRun;
  if (log.__typename !== 'EventConnection') throw notFound('run_not_found', `No logs for run ${runId}.`);
  // A step that fails in a subprocess (Pipes) tells Dagster only "exit code 1": its stderr says why.
  const stderrOf = new Map<string, string>();
  for (const e of log.events ?? []) {
    if (e.__typename !== 'LogsCapturedEvent' || !e.fileKey) continue;
    const failed = (e.stepKeys ?? []).filter((k) =>
      (log.events ?? []).some((f) => f.__typename === 'ExecutionStepFailureEvent' && f.stepKey === k),
    );
    if (failed.length === 0) continue;
    const captured = await query<{ capturedLogs: { stderr: string | null } }>(
      'query($key: [String!]!) { capturedLogs(logKey: $key) { stderr } }',
      { key: [runId, 'compute_logs', e.fileKey] },
    ).catch(() => null);
    const cause = userErrorOf(captured?.capturedLogs.stderr ?? '');
    for (const k of failed) if (cause) stderrOf.set(k, cause);
  }
  return {
    events: (log.events ?? []).map((e) => {
      // The outer error is Dagster's wrapper; its causes say what went wrong in the user's code.
      const stderr =
        e.__typename === 'ExecutionStepFailureEvent' && e.stepKey ? stderrOf.get(e.stepKey) : undefined;
      const error = e.error
        ? [e.error.message, ...(e.error.causes ?? []).map((c) => c.message), ...(stderr ? [stderr] : [])]
            .map((m) => m.trim())
            .filter(Boolean)
            .join('\n')
        : '';
      return {
        type: e.__typename,
        message: e.message,
        timestamp: e.timestamp,
        level: e.level,
        stepKey: e.stepKey,
        ...(error ? { error } : {}),
        ...(e.evaluation ? { check: evaluationOf(e.evaluation) } : {}),
      };
    }),
    cursor: log.cursor ?? cursor ?? null,
    hasMore: Boolean(log.hasMore),
  };
}

/** From a failed step's stderr: the user's own exception and where it was raised (not Dagster's frames). */
export function userErrorOf(stderr: string): string {
  const lines = stderr.split('\n');
  const errors = [
    ...new Set(
      lines
        .map((l) => l.trim())
        .filter(
          (l) =>
            /^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)\b(:|$)/.test(l) && !l.startsWith('dagster'),
        ),
    ),
  ];
  const frames = lines
    .map((l) => l.trim())
    .filter(
      (l) => /^File ".+\.py", line \d+/.test(l) && !l.includes('/.venv/') && !l.includes('site-packages'),
    );
  if (errors.length === 0) return '';
  return [...(frames.length ? [frames[frames.length - 1]!] : []), ...errors].join('\n');
}
