// Backfills on a project's local Dagster instance, through its GraphQL API only (issue 15, item 4): launching one
// (launchPartitionBackfill, which the instance's daemon runs), its progress and runs, and cancelling it.
import type { Backfill, BackfillRequest } from '@designer/shared';
import { AppError } from '../../errors.js';
import {
  BACKFILL_BY_ID,
  CANCEL_BACKFILL,
  LATEST_BACKFILLS,
  LAUNCH_BACKFILL,
  type RawBackfill,
} from '../graphql/backfills.js';
import { graphql, graphqlRead } from '../graphql/client.js';
import type { Instance } from '../dagster-instance.js';
import { keyOf, partitionNames, pathOf } from './partitions.js';

/** Tags every backfill the designer launches (Dagster shows them too). */
export const BACKFILL_TAG = 'dagster-designer/backfill';

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
  }>(instance, LAUNCH_BACKFILL, {
    params: {
      assetSelection: assets.map(pathOf),
      partitionNames: names,
      title,
      tags: [{ key: BACKFILL_TAG, value: 'true' }],
    },
  });
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
  const data = await graphqlRead<{ b: RawBackfill & { __typename: string; message?: string } }>(
    instance,
    BACKFILL_BY_ID,
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
  const data = await graphqlRead<{
    b: { __typename: string; results?: RawBackfill[]; message?: string };
  }>(instance, LATEST_BACKFILLS, { limit });
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
  const data = await graphql<{ c: { __typename: string; message?: string } }>(instance, CANCEL_BACKFILL, {
    id,
  });
  if (data.c.__typename !== 'CancelBackfillSuccess')
    throw new AppError(
      409,
      'cancel_refused',
      `Dagster did not cancel the backfill: ${data.c.message ?? data.c.__typename}`,
    );
  return getBackfill(instance, id);
}
