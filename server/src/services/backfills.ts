// Partitions and backfills on a project's local Dagster instance, through its GraphQL API only (issue 15, items 3
// and 4): each asset's partitions and their status, launching a backfill (launchPartitionBackfill, which the
// instance's daemon runs), its progress and runs, and cancelling it. The instance itself is DagsterInstanceService's.
import {
  backfillRequestProblem,
  type AssetPartitionStatus,
  type Backfill,
  type BackfillRequest,
  type PartitionState,
} from '@designer/shared';
import { AppError } from '../errors.js';
import { graphql, type Instance } from './dagster-instance.js';

/** Up to this many partitions an answer lists each partition's state (a strip in the Assets tab). */
const LISTED_PARTITIONS = 400;
/** Tags every backfill the designer launches (Dagster shows them too). */
export const BACKFILL_TAG = 'dagster-designer/backfill';

/**
 * A read of the instance, asked once more when it timed out: right after a reload (a dbt project's manifest) the
 * webserver can take longer than a request's 30 s on a busy machine. Never used for a mutation.
 */
async function read<T>(
  instance: Instance,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  try {
    return await graphql<T>(instance, query, variables);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'dagster_unreachable') throw error;
    return graphql<T>(instance, query, variables);
  }
}

const keyOf = (path: string[]) => path.join('/');
const pathOf = (key: string) => ({ path: key.split('/') });

interface RawNode {
  assetKey: { path: string[] };
  partitionDefinition: { description: string; type: string } | null;
  partitionStats: {
    numMaterialized: number;
    numPartitions: number;
    numFailed: number;
    numMaterializing: number;
  } | null;
  first: { results: string[] } | null;
  last: { results: string[] } | null;
}
type RawStatuses =
  | {
      __typename: 'TimePartitionStatuses';
      ranges: Array<{ startKey: string; endKey: string; status: string }>;
    }
  | {
      __typename: 'DefaultPartitionStatuses';
      materializedPartitions: string[];
      failedPartitions: string[];
      materializingPartitions: string[];
    }
  | { __typename: string };

const NODE = `assetKey { path } partitionDefinition { description type }
  partitionStats { numMaterialized numPartitions numFailed numMaterializing }
  first: partitionKeyConnection(limit: 1, ascending: true) { results }
  last: partitionKeyConnection(limit: 1, ascending: false) { results }`;
const STATUSES = `partitionKeys assetPartitionStatuses { __typename
  ... on TimePartitionStatuses { ranges { startKey endKey status } }
  ... on DefaultPartitionStatuses { materializedPartitions failedPartitions materializingPartitions } }`;

const STATE_OF: Record<string, PartitionState> = {
  MATERIALIZED: 'materialized',
  FAILED: 'failed',
  MATERIALIZING: 'in_progress',
};

/** Each partition's state, in the definition's order. */
function statesOf(keys: string[], statuses: RawStatuses): Map<string, PartitionState> {
  const states = new Map<string, PartitionState>(keys.map((k) => [k, 'missing']));
  if ('ranges' in statuses) {
    const index = new Map(keys.map((k, i) => [k, i]));
    for (const range of statuses.ranges) {
      const from = index.get(range.startKey);
      const to = index.get(range.endKey);
      if (from === undefined || to === undefined) continue;
      for (let i = from; i <= to; i++) states.set(keys[i]!, STATE_OF[range.status] ?? 'missing');
    }
  } else if ('materializedPartitions' in statuses) {
    for (const k of statuses.materializedPartitions) states.set(k, 'materialized');
    for (const k of statuses.failedPartitions) states.set(k, 'failed');
    for (const k of statuses.materializingPartitions) states.set(k, 'in_progress');
  }
  return states;
}

async function partitionKeysAndStates(
  instance: Instance,
  keys: string[],
): Promise<Map<string, { keys: string[]; states: Map<string, PartitionState> }>> {
  if (keys.length === 0) return new Map();
  const data = await read<{
    assetNodes: Array<{
      assetKey: { path: string[] };
      partitionKeys: string[];
      assetPartitionStatuses: RawStatuses;
    }>;
  }>(
    instance,
    `query ($keys: [AssetKeyInput!]) { assetNodes(assetKeys: $keys) { assetKey { path } ${STATUSES} } }`,
    {
      keys: keys.map(pathOf),
    },
  );
  return new Map(
    data.assetNodes.map((n) => [
      keyOf(n.assetKey.path),
      { keys: n.partitionKeys, states: statesOf(n.partitionKeys, n.assetPartitionStatuses) },
    ]),
  );
}

/**
 * The partitions of the given assets (all of the location's when none) and their status on the instance;
 * assets without partitions are left out. `listAll` lists each partition's state whatever their number.
 */
export async function partitionStatus(
  instance: Instance,
  keys?: string[],
  listAll = false,
): Promise<AssetPartitionStatus[]> {
  const data = await read<{ assetNodes: RawNode[] }>(
    instance,
    `query ($keys: [AssetKeyInput!]) { assetNodes(assetKeys: $keys) { ${NODE} } }`,
    { keys: keys?.map(pathOf) ?? null },
  );
  const partitioned = data.assetNodes.filter((n) => n.partitionDefinition);
  const small = partitioned
    .filter((n) => listAll || (n.partitionStats?.numPartitions ?? 0) <= LISTED_PARTITIONS)
    .map((n) => keyOf(n.assetKey.path));
  const listed = await partitionKeysAndStates(instance, small);
  return partitioned
    .map((n): AssetPartitionStatus => {
      const key = keyOf(n.assetKey.path);
      const stats = n.partitionStats ?? {
        numMaterialized: 0,
        numPartitions: 0,
        numFailed: 0,
        numMaterializing: 0,
      };
      const each = listed.get(key);
      const first = n.first?.results[0];
      const last = n.last?.results[0];
      return {
        key,
        description: n.partitionDefinition!.description,
        type: n.partitionDefinition!.type,
        ...(first ? { first } : {}),
        ...(last ? { last } : {}),
        counts: {
          total: stats.numPartitions,
          materialized: stats.numMaterialized,
          failed: stats.numFailed,
          inProgress: stats.numMaterializing,
          missing: Math.max(
            0,
            stats.numPartitions - stats.numMaterialized - stats.numFailed - stats.numMaterializing,
          ),
        },
        ...(each ? { partitions: each.keys.map((k) => ({ key: k, state: each.states.get(k)! })) } : {}),
      };
    })
    .sort((a, b) => a.key.localeCompare(b.key));
}

/** The partition names a request covers, checked against the assets' one partitions definition. */
async function partitionNames(
  instance: Instance,
  assets: string[],
  request: BackfillRequest,
): Promise<string[]> {
  const problem = backfillRequestProblem(request);
  if (problem) throw new AppError(400, problem.code, problem.message, problem.hint);
  if (assets.length === 0)
    throw new AppError(
      400,
      'nothing_to_run',
      'The selection has no asset to backfill.',
      'Select partitioned components.',
    );
  const statuses = await partitionStatus(instance, assets, true);
  const partitioned = new Set(statuses.map((s) => s.key));
  const unknown = assets.filter((k) => !partitioned.has(k));
  if (statuses.length === 0)
    throw new AppError(
      400,
      'not_partitioned',
      `${assets.length === 1 ? `${assets[0]} has` : 'These assets have'} no partitions, so there is nothing to backfill.`,
      'Set partitions on the node (Automation tab, Partitions), save and preview; or launch a plain run.',
    );
  if (unknown.length > 0)
    throw new AppError(
      400,
      'not_partitioned',
      `${unknown.join(', ')} ${unknown.length === 1 ? 'has' : 'have'} no partitions: a backfill covers partitioned assets only.`,
      'Select only partitioned components, or give them the same partitions.',
    );
  const definitions = new Set(statuses.map((s) => s.description));
  if (definitions.size > 1)
    throw new AppError(
      400,
      'mixed_partitions',
      `The selected assets are partitioned differently (${[...definitions].join(' / ')}): one backfill takes one set of partitions.`,
      'Backfill each partitioning on its own.',
    );
  const keys = statuses[0]!.partitions!.map((p) => p.key);
  const where = (key: string) => {
    const i = keys.indexOf(key);
    if (i < 0)
      throw new AppError(
        400,
        'unknown_partition',
        `"${key}" is not a partition of ${assets.length === 1 ? assets[0] : 'these assets'} (${statuses[0]!.description.replace(/\.$/, '')}).`,
        keys.length
          ? `Partitions run from ${keys[0]} to ${keys[keys.length - 1]} (${keys.length}).`
          : 'It has no partition yet (its start date is in the future).',
      );
    return i;
  };
  let names: string[];
  if (request.partition !== undefined) names = [keys[where(request.partition)]!];
  else if (request.range) {
    const from = where(request.range.start);
    const to = where(request.range.end);
    if (from > to)
      throw new AppError(
        400,
        'bad_range',
        `The range starts (${request.range.start}) after it ends (${request.range.end}).`,
        'Give the earlier partition as the start; both ends are included.',
      );
    names = keys.slice(from, to + 1);
  } else names = keys;
  if (request.missingOnly) {
    // Missing for any selected asset: never materialized there, or its last attempt failed.
    const done = (k: string) =>
      statuses.every((s) => {
        const state = s.partitions!.find((p) => p.key === k)?.state;
        return state === 'materialized' || state === 'in_progress';
      });
    names = names.filter((k) => !done(k));
    if (names.length === 0)
      throw new AppError(
        409,
        'nothing_missing',
        'Every partition there is materialized (or being materialized): nothing is missing.',
        'Pick a range or one partition to materialize again.',
      );
  }
  return names;
}

/** Launches a backfill of `assets` over the request's partitions; answers it as the instance has it. */
export async function launchBackfill(
  instance: Instance,
  assets: string[],
  request: BackfillRequest,
): Promise<Backfill> {
  const names = await partitionNames(instance, assets, request);
  const title =
    names.length === 1
      ? `Partition ${names[0]}`
      : `${names.length} partitions, ${names[0]} to ${names[names.length - 1]}`;
  const data = await graphql<{
    launchPartitionBackfill: { __typename: string; backfillId?: string; message?: string };
  }>(
    instance,
    `
      mutation ($params: LaunchBackfillParams!) {
        launchPartitionBackfill(backfillParams: $params) {
          __typename
          ... on LaunchBackfillSuccess {
            backfillId
          }
          ... on Error {
            message
          }
        }
      }
    `,
    {
      params: {
        assetSelection: assets.map(pathOf),
        partitionNames: names,
        title,
        tags: [{ key: BACKFILL_TAG, value: 'true' }],
      },
    },
  );
  const answer = data.launchPartitionBackfill;
  if (!answer.backfillId)
    throw new AppError(
      400,
      'backfill_refused',
      `Dagster refused the backfill: ${answer.message ?? answer.__typename}`,
      'Preview the project: the definitions the instance loaded may differ from the selection.',
    );
  return getBackfill(instance, answer.backfillId);
}

interface RawBackfill {
  id: string;
  status: string;
  partitionNames: string[] | null;
  assetSelection: Array<{ path: string[] }> | null;
  timestamp: number;
  endTimestamp: number | null;
  error: { message: string } | null;
  assetBackfillData: {
    assetBackfillStatuses: Array<{
      assetKey?: { path: string[] };
      numPartitionsTargeted?: number;
      numPartitionsInProgress?: number;
      numPartitionsMaterialized?: number;
      numPartitionsFailed?: number;
    }>;
  } | null;
  runs: Array<{ runId: string; status: string; tags: Array<{ key: string; value: string }> }>;
}

const BACKFILL = `id status partitionNames assetSelection { path } timestamp endTimestamp error { message }
  assetBackfillData { assetBackfillStatuses { ... on AssetPartitionsStatusCounts { assetKey { path }
    numPartitionsTargeted numPartitionsInProgress numPartitionsMaterialized numPartitionsFailed } } }
  runs(limit: 1000) { runId status tags { key value } }`;

function fromRaw(b: RawBackfill): Backfill {
  const tag = (run: RawBackfill['runs'][number], key: string) => run.tags.find((t) => t.key === key)?.value;
  return {
    id: b.id,
    status: b.status,
    assets: (b.assetSelection ?? []).map((a) => keyOf(a.path)),
    // Dagster answers them unordered (a set): time keys sort as dates, static ones by name.
    partitions: [...(b.partitionNames ?? [])].sort(),
    createdAt: b.timestamp,
    ...(b.endTimestamp ? { endedAt: b.endTimestamp } : {}),
    progress: (b.assetBackfillData?.assetBackfillStatuses ?? [])
      .filter((s) => s.assetKey)
      .map((s) => ({
        asset: keyOf(s.assetKey!.path),
        targeted: s.numPartitionsTargeted ?? 0,
        materialized: s.numPartitionsMaterialized ?? 0,
        failed: s.numPartitionsFailed ?? 0,
        inProgress: s.numPartitionsInProgress ?? 0,
      })),
    runs: b.runs.map((r) => {
      const single = tag(r, 'dagster/partition');
      const start = tag(r, 'dagster/asset_partition_range_start');
      const end = tag(r, 'dagster/asset_partition_range_end');
      const partition = single ?? (start && end ? (start === end ? start : `${start}…${end}`) : undefined);
      return { runId: r.runId, status: r.status, ...(partition ? { partition } : {}) };
    }),
    ...(b.error ? { error: b.error.message } : {}),
  };
}

export async function getBackfill(instance: Instance, id: string): Promise<Backfill> {
  const data = await read<{ b: RawBackfill & { __typename: string; message?: string } }>(
    instance,
    `query ($id: String!) { b: partitionBackfillOrError(backfillId: $id) { __typename
      ... on PartitionBackfill { ${BACKFILL} } ... on Error { message } } }`,
    { id },
  );
  if (data.b.__typename !== 'PartitionBackfill')
    throw new AppError(
      404,
      'backfill_not_found',
      `The project's Dagster instance has no backfill "${id}".`,
      data.b.message ?? 'It may belong to another project.',
    );
  return fromRaw(data.b);
}

/** The instance's latest backfills, newest first. */
export async function listBackfills(instance: Instance, limit = 20): Promise<Backfill[]> {
  const data = await read<{
    b: { __typename: string; results?: RawBackfill[]; message?: string };
  }>(
    instance,
    `query ($limit: Int) { b: partitionBackfillsOrError(limit: $limit) { __typename
      ... on PartitionBackfills { results { ${BACKFILL} } } ... on Error { message } } }`,
    { limit },
  );
  if (!data.b.results)
    throw new AppError(
      502,
      'graphql_error',
      `Dagster could not list backfills: ${data.b.message ?? data.b.__typename}`,
    );
  return data.b.results.map(fromRaw);
}

/** Cancels a backfill (its runs under way are terminated by the daemon); answers it as the instance has it now. */
export async function cancelBackfill(instance: Instance, id: string): Promise<Backfill> {
  await getBackfill(instance, id); // 404 for an unknown id
  const data = await graphql<{ c: { __typename: string; message?: string } }>(
    instance,
    `
      mutation ($id: String!) {
        c: cancelPartitionBackfill(backfillId: $id) {
          __typename
          ... on Error {
            message
          }
        }
      }
    `,
    { id },
  );
  if (data.c.__typename !== 'CancelBackfillSuccess')
    throw new AppError(
      409,
      'cancel_refused',
      `Dagster did not cancel the backfill: ${data.c.message ?? data.c.__typename}`,
    );
  return getBackfill(instance, id);
}
