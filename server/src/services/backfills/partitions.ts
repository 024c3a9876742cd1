// Partitions of a project's assets on its local Dagster instance: each asset's partitions and their status, and
// the partition names a backfill request covers (checked against the assets' one partitions definition).
import {
  backfillRequestProblem,
  type AssetPartitionStatus,
  type BackfillRequest,
  type PartitionState,
} from '@designer/shared';
import { AppError } from '../../errors.js';
import {
  PARTITION_STATUSES,
  PARTITIONED_ASSETS,
  type RawNode,
  type RawStatuses,
} from '../graphql/backfills.js';
import { graphqlRead } from '../graphql/client.js';
import type { Instance } from '../dagster-instance.js';

/** Up to this many partitions an answer lists each partition's state (a strip in the Assets tab). */
const LISTED_PARTITIONS = 400;

export const keyOf = (path: string[]) => path.join('/');
export const pathOf = (key: string) => ({ path: key.split('/') });

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
  const data = await graphqlRead<{
    assetNodes: Array<{
      assetKey: { path: string[] };
      partitionKeys: string[];
      assetPartitionStatuses: RawStatuses;
    }>;
  }>(instance, PARTITION_STATUSES, {
    keys: keys.map(pathOf),
  });
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
  const data = await graphqlRead<{ assetNodes: RawNode[] }>(instance, PARTITIONED_ASSETS, {
    keys: keys?.map(pathOf) ?? null,
  });
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
export async function partitionNames(
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
