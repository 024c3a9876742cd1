// Runs through Dagster's GraphQL API: launch (async or waiting), status with steps and materializations,
// history from Dagster's own run storage, logs after a cursor, cancel.
import {
  hasUserConfig,
  runConfigJsonSchema,
  type ConfigType,
  type JsonSchema,
  type Run,
  type RunEvent,
} from '@designer/shared';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { AppError, notFound, redactValue } from '../errors.js';
import type { DagsterCli } from './dagster-cli.js';
import { DAGSTER_HOME_DIR } from './dagster-instance.js';
import { checkEnvName } from './env-store.js';
import { graphql, type DagsterInstanceService, type Instance } from './dagster-instance.js';

export const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);
const RUN_FIELDS = `runId status startTime endTime creationTime
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

interface RawRun {
  runId: string;
  status: string;
  startTime: number | null;
  endTime: number | null;
  creationTime: number | null;
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
const toSummary = (projectId: string, r: RawRun): Run => ({
  runId: r.runId,
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

export class RunService {
  /** Which project a run belongs to (runs of this server session; older ones are found through history). */
  private owners = new Map<string, string>();

  /** Runs started by `dg launch` with env overrides: their process, to stop on cancel. */
  private launched = new Map<string, ChildProcess>();
  /** Override values given to runs of a project (memory only): answers hide them like .env values. */
  private overrideValues = new Map<string, Set<string>>();

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

  async launch(
    projectId: string,
    root: string,
    options: { assets?: string[]; runConfig?: Record<string, unknown>; env?: Record<string, string> },
  ): Promise<{ runId: string }> {
    const instance = await this.instances.ensure(projectId, root);
    const keys = await this.selection(instance, options.assets);
    if (options.env && Object.keys(options.env).length > 0)
      return this.launchWithEnv(instance, keys, options.runConfig ?? {}, options.env);
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
          runConfigData: options.runConfig ?? {},
        },
      },
    );
    // Dagster's messages may quote the project's env values (a load error): they never reach an answer.
    const result = await this.scrub(root, data.launchPipelineExecution);
    switch (result.__typename) {
      case 'LaunchRunSuccess':
        this.owners.set(result.run!.runId, projectId);
        return { runId: result.run!.runId };
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
    const args = ['launch', '--assets', keys.join(',')];
    if (Object.keys(runConfig).length > 0) args.push('--config-json', JSON.stringify(runConfig));
    const child = this.cli.startDg(root, args, {
      env: { ...(await this.envOf(root)), ...overrides },
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
      const fresh = (await this.recentRunIds(instance)).find((id) => !before.has(id) && !this.owners.has(id));
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

  async get(runId: string): Promise<Run> {
    const instance = await this.instanceOf(runId);
    const data = await graphql<{ runOrError: RawRun & { __typename: string; message?: string } }>(
      instance,
      `query($id: ID!) { runOrError(runId: $id) { __typename ... on Run { ${RUN_FIELDS} } ... on RunNotFoundError { message } } }`,
      { id: runId },
    );
    if (data.runOrError.__typename !== 'Run') throw notFound('run_not_found', `No run ${runId}.`);
    return this.scrub(instance.root, toSummary(instance.projectId, data.runOrError));
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

  async history(
    projectId: string,
    root: string,
    limit: number,
    cursor?: string,
  ): Promise<{ runs: Run[]; cursor: string | null }> {
    const instance = await this.instances.ensure(projectId, root);
    const data = await graphql<{ runsOrError: { __typename: string; results?: RawRun[] } }>(
      instance,
      `query($limit: Int, $cursor: String) { runsOrError(limit: $limit, cursor: $cursor) { __typename ... on Runs { results { ${RUN_FIELDS} } } } }`,
      { limit, cursor: cursor ?? null },
    );
    const runs = (data.runsOrError.results ?? []).map((r) => toSummary(projectId, r));
    for (const r of runs) this.owners.set(r.runId, projectId);
    return this.scrub(root, { runs, cursor: runs.length === limit ? runs[runs.length - 1]!.runId : null });
  }

  async logs(
    runId: string,
    cursor?: string,
  ): Promise<{ events: RunEvent[]; cursor: string | null; hasMore: boolean }> {
    const instance = await this.instanceOf(runId);
    const data = await graphql<{
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
        }>;
      };
    }>(
      instance,
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
      const captured = await graphql<{ capturedLogs: { stderr: string | null } }>(
        instance,
        'query($key: [String!]!) { capturedLogs(logKey: $key) { stderr } }',
        { key: [runId, 'compute_logs', e.fileKey] },
      ).catch(() => null);
      const cause = userErrorOf(captured?.capturedLogs.stderr ?? '');
      for (const k of failed) if (cause) stderrOf.set(k, cause);
    }
    return this.scrub(instance.root, {
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
        };
      }),
      cursor: log.cursor ?? cursor ?? null,
      hasMore: Boolean(log.hasMore),
    });
  }

  async cancel(runId: string): Promise<{ runId: string; status: string }> {
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
