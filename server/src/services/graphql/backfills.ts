// The GraphQL documents of partitions and backfills on a local instance (services/backfills/ sends them), with
// the shapes Dagster answers them in.

/** An asset's partition counts (`partitionStats`). */
export interface RawPartitionStats {
  numMaterialized: number;
  numPartitions: number;
  numFailed: number;
  numMaterializing: number;
}

export interface RawNode {
  assetKey: { path: string[] };
  partitionDefinition: { description: string; type: string } | null;
  partitionStats: RawPartitionStats | null;
  first: { results: string[] } | null;
  last: { results: string[] } | null;
}

export type RawStatuses =
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
const BACKFILL = `id status partitionNames assetSelection { path } timestamp endTimestamp error { message }
  assetBackfillData { assetBackfillStatuses { ... on AssetPartitionsStatusCounts { assetKey { path }
    numPartitionsTargeted numPartitionsInProgress numPartitionsMaterialized numPartitionsFailed } } }
  runs(limit: 1000) { runId status tags { key value } }`;

/** The partitions definition, counts and first and last key of assets (all of the location's when keys is null). */
export const PARTITIONED_ASSETS = `query ($keys: [AssetKeyInput!]) { assetNodes(assetKeys: $keys) { ${NODE} } }`;

/** Every partition key of assets with its status. */
export const PARTITION_STATUSES = `query ($keys: [AssetKeyInput!]) { assetNodes(assetKeys: $keys) { assetKey { path } ${STATUSES} } }`;

/** Launch a backfill of assets over partition names. */
export const LAUNCH_BACKFILL = `
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
    `;

export interface RawBackfill {
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

/** One backfill, answered as `b`. */
export const BACKFILL_BY_ID = `query ($id: String!) { b: partitionBackfillOrError(backfillId: $id) { __typename
      ... on PartitionBackfill { ${BACKFILL} } ... on Error { message } } }`;

/** The latest backfills, answered as `b`. */
export const LATEST_BACKFILLS = `query ($limit: Int) { b: partitionBackfillsOrError(limit: $limit) { __typename
      ... on PartitionBackfills { results { ${BACKFILL} } } ... on Error { message } } }`;

/** Cancel a backfill, answered as `c`. */
export const CANCEL_BACKFILL = `
      mutation ($id: String!) {
        c: cancelPartitionBackfill(backfillId: $id) {
          __typename
          ... on Error {
            message
          }
        }
      }
    `;
