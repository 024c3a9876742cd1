// Observe a team's deployment: the code location that serves the project, the deployment's state of the
// project's assets (last materialization, partitions, checks, stale/missing), and its runs of that location,
// in the shapes the local Runs tab uses.
import type {
  DeploymentAssetState,
  DeploymentLocation,
  DeploymentLocationState,
  Run,
  RunEvent,
} from '@designer/shared';
import { AppError, notFound } from '../../errors.js';
import {
  ASSET_LOCATIONS,
  DEPLOYMENT_ASSETS,
  DEPLOYMENT_WORKSPACE,
  LOCATION_RUN,
  LOCATION_RUNS,
  type PythonError,
  type RawAssetNode,
  type RawLocationEntry,
} from '../graphql/deployment.js';
import { runLogsPage, toSummary, type RawRun } from '../runs.js';
import type { DeploymentClient } from './client.js';
import { locationPackage, servingLocation } from './connection.js';

/** The code location that serves the project on a deployment, as the deployment describes it now. */
export interface ServingLocation {
  entry: RawLocationEntry;
  state: DeploymentLocationState;
  /** The repository to launch in (`__repository__` for a Definitions object). */
  repository: string;
  /** The load error as one text (message, stack, causes), for locating it on a node. */
  errorText?: string;
}

/** A Python error as dg prints it: message and stack, then each cause after Dagster's separator. */
export function pythonErrorText(error: PythonError): string {
  return [
    error.message,
    ...(error.stack ?? []),
    ...(error.causes ?? []).flatMap((c) => [
      'The above exception was caused by the following exception:',
      c.message,
      'Stack Trace:',
      ...(c.stack ?? []),
    ]),
  ].join('\n');
}

function stateOf(entry: RawLocationEntry): DeploymentLocationState {
  const loaded = entry.locationOrLoadError;
  const status =
    entry.loadStatus === 'LOADING' ? 'loading' : loaded?.__typename === 'PythonError' ? 'error' : 'loaded';
  const version =
    loaded?.__typename === 'RepositoryLocation'
      ? loaded.dagsterLibraryVersions?.find((l) => l.name === 'dagster')?.version
      : undefined;
  const causes = loaded?.__typename === 'PythonError' ? (loaded.causes ?? []).map((c) => c.message) : [];
  return {
    name: entry.name,
    status,
    ...(status === 'error' && loaded?.__typename === 'PythonError'
      ? {
          error: [loaded.message, ...causes]
            .map((m) => m.trim())
            .join('\n')
            .slice(0, 4000),
        }
      : {}),
    ...(version ? { dagsterVersion: version } : {}),
    ...(entry.updatedTimestamp ? { updatedAt: Math.round(entry.updatedTimestamp * 1000) } : {}),
  };
}

/** Every location entry of the deployment's workspace. */
export async function workspaceEntries(
  client: DeploymentClient,
  signal?: AbortSignal,
): Promise<RawLocationEntry[]> {
  const data = await client.query<{
    workspaceOrError: { __typename: string; message?: string; locationEntries?: RawLocationEntry[] };
  }>(DEPLOYMENT_WORKSPACE, {}, signal);
  if (data.workspaceOrError.__typename !== 'Workspace')
    throw new AppError(
      502,
      'deployment_workspace_error',
      `The deployment could not list its code locations: ${data.workspaceOrError.message ?? data.workspaceOrError.__typename}`,
      'Look at the webserver’s log; its workspace.yaml may be broken.',
    );
  return data.workspaceOrError.locationEntries ?? [];
}

/** The location serving the project's package (by its metadata, else its name), or a 409 saying none does. */
export async function servingLocationOf(
  client: DeploymentClient,
  packageName: string,
  signal?: AbortSignal,
): Promise<ServingLocation> {
  const entries = await workspaceEntries(client, signal);
  const described: DeploymentLocation[] = entries.map((e) => {
    const pkg = locationPackage(e.displayMetadata);
    return { name: e.name, status: stateOf(e).status, ...(pkg ? { package: pkg } : {}) };
  });
  const name = servingLocation(described, packageName);
  const entry = entries.find((e) => e.name === name);
  if (!entry)
    throw new AppError(
      409,
      'no_serving_location',
      `No code location of "${client.deployment.name}" serves the package "${packageName}" (it has ${entries.map((e) => `"${e.name}"`).join(', ') || 'none'}).`,
      'Add a code location for this project to the deployment (workspace.yaml or dagster_cloud.yaml) loading the branch the designer pushes to, then test the connection.',
    );
  const loaded = entry.locationOrLoadError;
  return {
    entry,
    state: stateOf(entry),
    repository:
      loaded?.__typename === 'RepositoryLocation'
        ? (loaded.repositories.find((r) => r.name === '__repository__')?.name ??
          loaded.repositories[0]?.name ??
          '__repository__')
        : '__repository__',
    ...(loaded?.__typename === 'PythonError' ? { errorText: pythonErrorText(loaded) } : {}),
  };
}

const keyOf = (path: string[]) => path.join('/');

/** The location's own asset keys (what it defines now), sorted. */
export async function locationAssetKeys(
  client: DeploymentClient,
  location: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const data = await client.query<{
    assetNodes: Array<{ assetKey: { path: string[] }; repository: { location: { name: string } } }>;
  }>(ASSET_LOCATIONS, {}, signal);
  return data.assetNodes
    .filter((a) => a.repository.location.name === location)
    .map((a) => keyOf(a.assetKey.path))
    .sort();
}

/**
 * The deployment's state of the given asset keys, in one query: a key its serving location does not define is
 * `defined: false` (the code there is older, or failed to load).
 */
export async function observeAssets(
  client: DeploymentClient,
  location: string,
  keys: string[],
  signal?: AbortSignal,
): Promise<DeploymentAssetState[]> {
  if (keys.length === 0) return [];
  const data = await client.query<{
    assetNodes: RawAssetNode[];
    assetsLatestInfo: Array<{
      assetKey: { path: string[] };
      inProgressRunIds: string[];
      unstartedRunIds: string[];
    }>;
  }>(DEPLOYMENT_ASSETS, { keys: keys.map((k) => ({ path: k.split('/') })) }, signal);
  const nodes = new Map(
    data.assetNodes
      .filter((n) => n.repository.location.name === location)
      .map((n) => [keyOf(n.assetKey.path), n]),
  );
  const latest = new Map(data.assetsLatestInfo.map((l) => [keyOf(l.assetKey.path), l]));
  return keys.map((key): DeploymentAssetState => {
    const node = nodes.get(key);
    const info = latest.get(key);
    const inProgressRunIds = [...(info?.unstartedRunIds ?? []), ...(info?.inProgressRunIds ?? [])];
    if (!node) return { key, defined: false, inProgressRunIds, checks: [], staleStatus: null };
    const m = node.assetMaterializations[0];
    const stats = node.partitionStats;
    return {
      key,
      defined: true,
      ...(m
        ? {
            lastMaterialization: {
              timestamp: Number(m.timestamp),
              runId: m.runId,
              ...(m.runOrError.status ? { runStatus: m.runOrError.status } : {}),
              ...(m.partition ? { partition: m.partition } : {}),
            },
          }
        : {}),
      inProgressRunIds,
      ...(node.isPartitioned && stats
        ? {
            partitions: {
              total: stats.numPartitions,
              materialized: stats.numMaterialized,
              failed: stats.numFailed,
              materializing: stats.numMaterializing,
            },
          }
        : {}),
      checks: (node.assetChecksOrError.checks ?? []).map((c) => {
        const run = c.executionForLatestMaterialization;
        return {
          name: c.name,
          status: run?.status ?? null,
          ...(run ? { runId: run.runId, timestamp: Math.round(run.timestamp * 1000) } : {}),
        };
      }),
      staleStatus: node.staleStatus,
    };
  });
}

/** The tag Dagster puts on every run with its repository and location (`__repository__@<location>`). */
const REPOSITORY_TAG = '.dagster/repository';

/** Runs of the serving location, newest first (the project's runs on the deployment). */
export async function deploymentRuns(
  client: DeploymentClient,
  projectId: string,
  location: ServingLocation,
  limit: number,
  cursor?: string,
  signal?: AbortSignal,
): Promise<{ runs: Run[]; cursor: string | null }> {
  const data = await client.query<{
    runsOrError: { __typename: string; message?: string; results?: RawRun[] };
  }>(
    LOCATION_RUNS,
    {
      limit,
      cursor: cursor ?? null,
      filter: { tags: [{ key: REPOSITORY_TAG, value: `${location.repository}@${location.entry.name}` }] },
    },
    signal,
  );
  if (data.runsOrError.__typename !== 'Runs')
    throw new AppError(
      502,
      'deployment_runs_error',
      `The deployment could not list its runs: ${data.runsOrError.message ?? data.runsOrError.__typename}`,
    );
  const runs = (data.runsOrError.results ?? []).map((r) => toSummary(projectId, r));
  return { runs, cursor: runs.length === limit ? runs[runs.length - 1]!.runId : null };
}

/** One run of the deployment, if it ran in the serving location (another team's run is not this project's). */
export async function deploymentRun(
  client: DeploymentClient,
  projectId: string,
  location: string,
  runId: string,
  signal?: AbortSignal,
): Promise<Run> {
  const data = await client.query<{
    runOrError: RawRun & {
      __typename: string;
      repositoryOrigin?: { repositoryLocationName: string } | null;
    };
  }>(LOCATION_RUN, { id: runId }, signal);
  const run = data.runOrError;
  if (run.__typename !== 'Run' || run.repositoryOrigin?.repositoryLocationName !== location)
    throw notFound(
      'run_not_found',
      `The deployment has no run ${runId} of this project's code location "${location}".`,
      "List the project's runs there with GET …/deployments/:depId/runs.",
    );
  return toSummary(projectId, run);
}

/** Log events of a deployment's run after a cursor (the same events as a local run's). */
export function deploymentRunLogs(
  client: DeploymentClient,
  runId: string,
  cursor?: string,
  signal?: AbortSignal,
): Promise<{ events: RunEvent[]; cursor: string | null; hasMore: boolean }> {
  return runLogsPage(
    <T>(doc: string, vars: Record<string, unknown>) => client.query<T>(doc, vars, signal),
    runId,
    cursor,
  );
}
