// Runs through Dagster's GraphQL API: launch (async or waiting), status with steps and materializations,
// history from Dagster's own run storage, logs after a cursor, cancel.
import type { Run, RunEvent } from '@designer/shared';
import { AppError, notFound, redact } from '../errors.js';
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

  constructor(
    private readonly instances: DagsterInstanceService,
    /** The project's env values: a script that prints one must not get it into an API answer. */
    private readonly envOf: (root: string) => Promise<Record<string, string>> = () => Promise.resolve({}),
  ) {}

  private async scrub<T>(root: string, value: T): Promise<T> {
    const secrets = Object.values(await this.envOf(root));
    return secrets.some((s) => s.length >= 4)
      ? (JSON.parse(redact(JSON.stringify(value), secrets)) as T)
      : value;
  }

  async launch(
    projectId: string,
    root: string,
    options: { assets?: string[]; runConfig?: Record<string, unknown> },
  ): Promise<{ runId: string }> {
    const instance = await this.instances.ensure(projectId, root);
    let keys = options.assets;
    if (!keys || keys.length === 0) {
      const data = await graphql<{
        assetNodes: Array<{ assetKey: { path: string[] }; isExecutable: boolean }>;
      }>(instance, '{ assetNodes { assetKey { path } isExecutable } }');
      keys = data.assetNodes.filter((a) => a.isExecutable).map((a) => keyOf(a.assetKey.path));
      if (keys.length === 0)
        throw new AppError(
          400,
          'nothing_to_run',
          'This project defines no asset that can be materialized.',
          'Add a component, preview, then run.',
        );
    }
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
          selector: {
            repositoryLocationName: instance.location,
            repositoryName: '__repository__',
            pipelineName: '__ASSET_JOB',
            assetSelection: keys.map((k) => ({ path: k.split('/') })),
          },
          runConfigData: options.runConfig ?? {},
        },
      },
    );
    const result = data.launchPipelineExecution;
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
