// The HTTP contract of partitions and backfills on a project's local Dagster instance (issue 15, items 3 and 4):
// each asset's partitions and their status there, and backfills (launch, progress, cancel).
import { Type, type Static } from '@sinclair/typebox';

/** An asset's partitions as the preview loads them (Dagster's partitions definition, from the inspector). */
export const AssetPartitions = Type.Object({
  /** time_window, static, multi, dynamic. */
  type: Type.String(),
  /** Dagster's own words, e.g. "Daily, starting 2024-01-01 UTC." */
  description: Type.String(),
  /** Partitions there are now (a time window's grows with time). */
  count: Type.Integer(),
  first: Type.Optional(Type.String()),
  last: Type.Optional(Type.String()),
});

/** Partition status counts of one asset on the instance (Dagster's partitionStats). */
export const PartitionCounts = Type.Object({
  total: Type.Integer(),
  materialized: Type.Integer(),
  failed: Type.Integer(),
  inProgress: Type.Integer(),
  /** Never materialized, not failed, not in progress. */
  missing: Type.Integer(),
});

export const PartitionState = Type.Union([
  Type.Literal('materialized'),
  Type.Literal('failed'),
  Type.Literal('in_progress'),
  Type.Literal('missing'),
]);

export const AssetPartitionStatus = Type.Object({
  key: Type.String(),
  /** Dagster's own words for the definition, e.g. "Daily, starting 2024-01-01 UTC." */
  description: Type.String(),
  /** TIME_WINDOW, STATIC, MULTIPARTITIONED or DYNAMIC. */
  type: Type.String(),
  first: Type.Optional(Type.String()),
  last: Type.Optional(Type.String()),
  counts: PartitionCounts,
  /** Each partition's state, newest last, when the asset has at most a few hundred partitions. */
  partitions: Type.Optional(Type.Array(Type.Object({ key: Type.String(), state: PartitionState }))),
});

export const PartitionStatusAnswer = Type.Object({
  /** The instance's state; the list is filled only when it is ready (this request does not start it). */
  instance: Type.Union([
    Type.Literal('stopped'),
    Type.Literal('starting'),
    Type.Literal('ready'),
    Type.Literal('failed'),
  ]),
  assets: Type.Array(AssetPartitionStatus),
});

/** What a backfill covers: one partition, a range (inclusive), or every missing one (within a range if given). */
export const BackfillRequest = Type.Object(
  {
    assets: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), { maxItems: 5000 })),
    nodes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 5000 })),
    partition: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    range: Type.Optional(
      Type.Object(
        {
          start: Type.String({ minLength: 1, maxLength: 200 }),
          end: Type.String({ minLength: 1, maxLength: 200 }),
        },
        { additionalProperties: false },
      ),
    ),
    missingOnly: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const BackfillRun = Type.Object({
  runId: Type.String(),
  status: Type.String(),
  partition: Type.Optional(Type.String()),
});

export const Backfill = Type.Object({
  id: Type.String(),
  /** Dagster's BulkActionStatus: REQUESTED, COMPLETED, COMPLETED_SUCCESS, COMPLETED_FAILED, FAILED, CANCELING, CANCELED… */
  status: Type.String(),
  assets: Type.Array(Type.String()),
  partitions: Type.Array(Type.String()),
  /** Seconds since the epoch, as Dagster answers. */
  createdAt: Type.Number(),
  endedAt: Type.Optional(Type.Number()),
  /** Per asset: partitions targeted, materialized, failed, in progress. */
  progress: Type.Array(
    Type.Object({
      asset: Type.String(),
      targeted: Type.Integer(),
      materialized: Type.Integer(),
      failed: Type.Integer(),
      inProgress: Type.Integer(),
    }),
  ),
  runs: Type.Array(BackfillRun),
  error: Type.Optional(Type.String()),
});

export const BackfillList = Type.Object({
  instance: PartitionStatusAnswer.properties.instance,
  backfills: Type.Array(Backfill),
});

/** Backfill statuses after which nothing more happens. */
export const BACKFILL_DONE = ['COMPLETED', 'COMPLETED_SUCCESS', 'COMPLETED_FAILED', 'FAILED', 'CANCELED'];

export type AssetPartitions = Static<typeof AssetPartitions>;
export type PartitionCounts = Static<typeof PartitionCounts>;
export type PartitionState = Static<typeof PartitionState>;
export type AssetPartitionStatus = Static<typeof AssetPartitionStatus>;
export type PartitionStatusAnswer = Static<typeof PartitionStatusAnswer>;
export type BackfillRequest = Static<typeof BackfillRequest>;
export type BackfillRun = Static<typeof BackfillRun>;
export type Backfill = Static<typeof Backfill>;
export type BackfillList = Static<typeof BackfillList>;
