// The typed calls of partitions and backfills (issue 15, items 3 and 4), through the client's one request function.
import type { Backfill, BackfillList, BackfillRequest, PartitionStatusAnswer } from '@designer/shared';
import { request } from './client';

const enc = encodeURIComponent;
const base = (id: string) => `/api/projects/${enc(id)}`;

export const partitionsApi = {
  /** Each partitioned asset's status on the running instance (does not start it). */
  status: (id: string) => request<PartitionStatusAnswer>('GET', `${base(id)}/partitions`),
  /** The partitions of a selection, after a sync, on the started instance. */
  selection: (id: string, nodes: string[]) =>
    request<PartitionStatusAnswer>('POST', `${base(id)}/partitions/selection`, { nodes }),
  launch: (id: string, body: BackfillRequest) => request<Backfill>('POST', `${base(id)}/backfills`, body),
  list: (id: string) => request<BackfillList>('GET', `${base(id)}/backfills`),
  cancel: (id: string, backfillId: string) =>
    request<Backfill>('POST', `${base(id)}/backfills/${enc(backfillId)}/cancel`),
};
