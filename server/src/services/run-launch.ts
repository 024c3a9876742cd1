// Launching a selection of the asset job through a Dagster instance's GraphQL API: the keys checked against the
// loaded definitions, the run configuration a selection takes, the launch with Dagster's refusals in words.
import {
  declaredAssetKeys,
  hasUserConfig,
  runConfigJsonSchema,
  type ConfigType,
  type JsonSchema,
  type ProjectFile,
} from '@designer/shared';
import { AppError } from '../errors.js';
import type { Instance } from './dagster-instance.js';
import { graphql } from './graphql/client.js';
import type { InspectorService } from './inspector.js';
import { EXECUTABLE_ASSETS, LAUNCH_RUN, RUN_CONFIG_SCHEMA } from './graphql/runs.js';
import { launchedRunId, type LaunchPlace, type RawLaunchResult } from './launch-result.js';
import { keyOf, LAUNCH_TAG } from './run-summary.js';

/** What a launch needs from its service: answers scrubbed of the project's secrets, the run's owner recorded. */
export interface LaunchHooks {
  scrub: <T>(value: T) => Promise<T>;
  onRun: (runId: string) => void;
}

/** The in-process executor (what `dg launch` uses): no process per step. Used when the run config has none. */
const IN_PROCESS = { config: { in_process: {} } };

/** The requested keys, checked against the loaded definitions; none means every executable asset. */
export async function checkKeys(instance: Instance, wanted: string[]): Promise<string[]> {
  const data = await graphql<{
    assetNodes: Array<{ assetKey: { path: string[] }; isExecutable: boolean }>;
  }>(instance, EXECUTABLE_ASSETS);
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

export async function launchGraphql(
  instance: Instance,
  keys: string[],
  runConfig: Record<string, unknown> | undefined,
  launchId: string,
  hooks: LaunchHooks,
): Promise<string> {
  const given = runConfig ?? {};
  // The in-process executor, as `dg launch` does, unless the user chose one: no process start per step.
  const chosen = 'execution' in given ? given : { ...given, execution: IN_PROCESS };
  try {
    return await launchOnce(instance, keys, chosen, launchId, hooks);
  } catch (error) {
    // A project whose own executor takes other config: fall back to its default.
    if (chosen !== given && error instanceof AppError && error.code === 'invalid_run_config')
      return launchOnce(instance, keys, given, launchId, hooks);
    throw error;
  }
}

/** A local instance's refusals: a load error stops every run. */
const LOCAL: LaunchPlace = {
  who: 'Dagster',
  selectionHint: 'Preview the project to see which asset keys exist.',
  refusals: {
    PythonError: (result) =>
      new AppError(
        502,
        'dagster_python_error',
        `Dagster failed to launch the run: ${result.message}`,
        'Preview the project: a component that fails to load stops every run.',
      ),
  },
  otherwise: (result) =>
    new AppError(
      400,
      'launch_refused',
      `Dagster refused the run (${result.__typename}): ${result.message ?? ''}`.trim(),
    ),
};

async function launchOnce(
  instance: Instance,
  keys: string[],
  runConfig: Record<string, unknown>,
  launchId: string,
  { scrub, onRun }: LaunchHooks,
): Promise<string> {
  const data = await graphql<{ launchPipelineExecution: RawLaunchResult }>(instance, LAUNCH_RUN, {
    params: {
      selector: assetJobSelector(instance, keys),
      runConfigData: runConfig,
      executionMetadata: { tags: [{ key: LAUNCH_TAG, value: launchId }] },
    },
  });
  // Dagster's messages may quote the project's env values (a load error): they never reach an answer.
  const result = await scrub(data.launchPipelineExecution);
  const runId = launchedRunId(result, LOCAL);
  onRun(runId);
  return runId;
}

/** The asset keys to run: the given ones, or every executable asset of the instance. */
async function selection(instance: Instance, assets?: string[]): Promise<string[]> {
  if (assets && assets.length > 0) return assets;
  const data = await graphql<{
    assetNodes: Array<{ assetKey: { path: string[] }; isExecutable: boolean }>;
  }>(instance, EXECUTABLE_ASSETS);
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
export async function runConfigSchema(
  instance: Instance,
  assets?: string[],
): Promise<{ schema: JsonSchema; hasConfig: boolean; assets: string[] }> {
  const keys = await selection(instance, assets);
  const data = await graphql<{
    runConfigSchemaOrError: {
      __typename: string;
      message?: string;
      rootConfigType?: { key: string };
      allConfigTypes?: ConfigType[];
    };
  }>(instance, RUN_CONFIG_SCHEMA, { selector: assetJobSelector(instance, keys) });
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

function assetJobSelector(instance: Instance, keys: string[]) {
  return {
    repositoryLocationName: instance.location,
    repositoryName: '__repository__',
    pipelineName: '__ASSET_JOB',
    assetSelection: keys.map((k) => ({ path: k.split('/') })),
  };
}

/** The asset keys of nodes right after a sync: declared keys from the graph, the others from the definitions. */
export async function nodeAssetKeys(
  inspector: InspectorService,
  project: ProjectFile,
  root: string,
  nodeIds: string[],
): Promise<string[]> {
  const nodes = project.graph.nodes.filter((n) => nodeIds.includes(n.id));
  if (nodes.length < new Set(nodeIds).size)
    throw new AppError(
      400,
      'unknown_nodes',
      'Some selected components are no longer in the project.',
      'Select the components on the canvas again and run.',
    );
  const keys: string[] = [];
  const folders = new Set<string>();
  for (const node of nodes) {
    const declared = declaredAssetKeys(node);
    if (declared) keys.push(...declared);
    else folders.add(node.data.label);
  }
  if (folders.size > 0) {
    const inspection = await inspector.inspect(root);
    for (const asset of inspection.assets)
      if (asset.folder && folders.has(asset.folder)) keys.push(asset.key);
  }
  return [...new Set(keys)];
}
