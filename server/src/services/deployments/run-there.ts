// Run on the team's deployment: the selected assets of the project, on the code location that serves it, through
// Dagster's own GraphQL launch (the asset job with an asset selection, as the local instance is driven), and
// cancel. Refused before anything starts when the deployment's code is known to be behind the designer's push.
import type { DeploymentCodeVersion } from '@designer/shared';
import { AppError, conflict } from '../../errors.js';
import { EXECUTABLE_ASSET_LOCATIONS, TERMINATE_RUN_THERE } from '../graphql/deployment.js';
import { LAUNCH_RUN } from '../graphql/runs.js';
import { launchedRunId, type LaunchPlace, type RawLaunchResult } from '../launch-result.js';
import type { DeploymentClient } from './client.js';
import type { ServingLocation } from './observe.js';

/** Tags every run the designer starts on a deployment, so the team sees where it came from. */
export const LAUNCHED_BY_TAG = 'dagster-designer/launched-by';

/** The refusal when the deployment's code is behind: it would run something else than the designer shows. */
export function refuseWhenBehind(code: DeploymentCodeVersion): void {
  if (code.status === 'behind')
    throw conflict(
      'deployment_code_behind',
      `Not launched: ${code.message}`,
      'Let the deployment’s CI/CD deploy the pushed commit (then ⟳ Reload deployment), or pull and push again if it serves a teammate’s newer commit; then launch again.',
      { code },
    );
}

/** A deployment's refusals: its token's rights, its code location failing to load. */
const DEPLOYMENT: LaunchPlace = {
  who: 'The deployment',
  refusals: {
    UnauthorizedError: (result) =>
      new AppError(
        403,
        'deployment_forbidden',
        `The deployment does not let this token launch runs: ${result.message ?? ''}`.trim(),
        'Use a token whose user may launch runs in this deployment.',
      ),
  },
  otherwise: (result) =>
    new AppError(
      502,
      'deployment_launch_refused',
      `The deployment refused the run (${result.__typename}): ${result.message ?? ''}`.trim(),
      'Look at the deployment’s code location: it may have failed to load.',
    ),
};

/** The executable keys of the selection (none: every executable asset of the location), checked there. */
async function checkedKeys(
  client: DeploymentClient,
  location: ServingLocation,
  wanted: string[],
  signal?: AbortSignal,
): Promise<string[]> {
  const data = await client.query<{
    assetNodes: Array<{
      assetKey: { path: string[] };
      isExecutable: boolean;
      repository: { location: { name: string } };
    }>;
  }>(EXECUTABLE_ASSET_LOCATIONS, {}, signal);
  const own = data.assetNodes.filter((a) => a.repository.location.name === location.entry.name);
  const executable = new Set(own.filter((a) => a.isExecutable).map((a) => a.assetKey.path.join('/')));
  const all = new Set(own.map((a) => a.assetKey.path.join('/')));
  if (wanted.length === 0) {
    if (executable.size === 0)
      throw new AppError(
        400,
        'nothing_to_run',
        `The code location "${location.entry.name}" defines no asset that can be materialized.`,
        'Push the project and reload the deployment.',
      );
    return [...executable].sort();
  }
  const missing = wanted.filter((k) => !all.has(k));
  if (missing.length > 0)
    throw new AppError(
      409,
      'deployment_missing_assets',
      `The deployment's code location "${location.entry.name}" does not define ${missing.map((k) => `"${k}"`).join(', ')}.`,
      'Its code is older than the designer’s: push the project, reload the deployment, then run.',
      { missing },
    );
  const external = wanted.filter((k) => !executable.has(k));
  if (external.length > 0)
    throw new AppError(
      400,
      'not_materializable',
      `${external.join(', ')} cannot be materialized (an external or source asset).`,
      'Run the components that produce it instead.',
    );
  return wanted;
}

export interface LaunchThere {
  assets?: string[];
  runConfig?: Record<string, unknown>;
  partition?: string;
}

/** Launches the selection on the serving location; answers Dagster's run id. */
export async function launchOnDeployment(
  client: DeploymentClient,
  location: ServingLocation,
  code: DeploymentCodeVersion,
  launch: LaunchThere,
  signal?: AbortSignal,
): Promise<{ runId: string; assets: string[] }> {
  if (location.state.status !== 'loaded')
    throw conflict(
      'deployment_location_not_loaded',
      location.state.status === 'loading'
        ? `The code location "${location.entry.name}" is still loading.`
        : `The code location "${location.entry.name}" failed to load: ${location.state.error ?? ''}`.trim(),
      location.state.status === 'loading'
        ? 'Wait a moment and launch again.'
        : 'Fix the error shown on its node, push, and reload the deployment.',
    );
  refuseWhenBehind(code);
  const keys = await checkedKeys(client, location, launch.assets ?? [], signal);
  const tags = [
    { key: LAUNCHED_BY_TAG, value: 'dagster-designer' },
    ...(launch.partition ? [{ key: 'dagster/partition', value: launch.partition }] : []),
  ];
  const data = await client.query<{ launchPipelineExecution: RawLaunchResult }>(
    LAUNCH_RUN,
    {
      params: {
        selector: {
          repositoryLocationName: location.entry.name,
          repositoryName: location.repository,
          pipelineName: '__ASSET_JOB',
          assetSelection: keys.map((k) => ({ path: k.split('/') })),
        },
        runConfigData: launch.runConfig ?? {},
        executionMetadata: { tags },
      },
    },
    signal,
  );
  return { runId: launchedRunId(data.launchPipelineExecution, DEPLOYMENT), assets: keys };
}

/** Cancels a run on the deployment (terminateRun); a finished run cannot be. */
export async function cancelOnDeployment(
  client: DeploymentClient,
  runId: string,
  signal?: AbortSignal,
): Promise<void> {
  const data = await client.query<{ terminateRun: { __typename: string; message?: string } }>(
    TERMINATE_RUN_THERE,
    { id: runId },
    signal,
  );
  const result = data.terminateRun;
  if (result.__typename === 'TerminateRunSuccess') return;
  throw new AppError(
    result.__typename === 'UnauthorizedError' ? 403 : result.__typename === 'RunNotFoundError' ? 404 : 409,
    result.__typename === 'RunNotFoundError' ? 'run_not_found' : 'cancel_refused',
    `The deployment did not cancel the run: ${result.message ?? result.__typename}`,
    result.__typename === 'TerminateRunFailure'
      ? 'A run that already finished cannot be cancelled.'
      : undefined,
  );
}
