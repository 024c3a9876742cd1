// A Dagster run as the API shows it: the summary of a run read through GraphQL (any instance or deployment).
import type { Run } from '@designer/shared';
import { metadataOf, type RawMetadataEntry } from './graphql/metadata.js';

export const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);
/** The tag that carries the designer's launch id on the Dagster run (so history maps both ids, even later). */
export const LAUNCH_TAG = 'dagster-designer/launch';
export interface RawRun {
  runId: string;
  status: string;
  startTime: number | null;
  endTime: number | null;
  creationTime: number | null;
  tags?: Array<{ key: string; value: string }>;
  assetSelection: Array<{ path: string[] }> | null;
  stepStats: Run['steps'];
  assetMaterializations: Array<{
    assetKey: { path: string[] };
    timestamp: string;
    stepKey: string | null;
    metadataEntries?: RawMetadataEntry[];
  }>;
}

export const keyOf = (path: string[]) => path.join('/');
export const toSummary = (projectId: string, r: RawRun): Run => ({
  runId: r.runId,
  ...(r.tags?.find((t) => t.key === LAUNCH_TAG)
    ? { launchId: r.tags.find((t) => t.key === LAUNCH_TAG)!.value }
    : {}),
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
