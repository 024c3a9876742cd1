// Partitions and backfills (issue 15, items 3 and 4): the only callers of the partitions API. A backfill launched
// here is announced with a window event, so the Runs tab's backfill list looks again at once.
import type { Backfill, BackfillRequest, PartitionStatusAnswer } from '@designer/shared';
import { ApiError } from '../api/client';
import { partitionsApi } from '../api/partitions';
import { designerStore as store } from '../store';
import { reportError, saveProject } from './project-actions';
import { refreshRuns } from './run-actions';

export const BACKFILLS_CHANGED = 'designer:backfills-changed';

async function saved(): Promise<string> {
  const project = store.getState().project;
  if (!project) throw new ApiError(409, 'no_project', 'Open a project first.');
  await saveProject();
  if (store.getState().saveState === 'conflict')
    throw new ApiError(409, 'conflict', 'Resolve the save conflict first.');
  return project.id;
}

/** The partitions of the selected nodes (the graph saved and synced first; the instance started when needed). */
export async function selectionPartitions(nodes: string[]): Promise<PartitionStatusAnswer> {
  return partitionsApi.selection(await saved(), nodes);
}

/** Launches a backfill of the nodes' partitions; opens the Runs tab where it shows. */
export async function launchBackfill(request: BackfillRequest): Promise<Backfill | null> {
  try {
    const backfill = await partitionsApi.launch(await saved(), request);
    store.getState().setDrawer('runs', true);
    window.dispatchEvent(new Event(BACKFILLS_CHANGED));
    void refreshRuns();
    return backfill;
  } catch (error) {
    reportError(error, 'The backfill did not start');
    return null;
  }
}

let knownRuns = -1;

/** The instance's latest backfills; the run history is read again when their runs changed (the daemon adds them). */
export async function listBackfills(): Promise<Backfill[]> {
  const project = store.getState().project;
  if (!project || store.getState().workspace?.status !== 'ready') return [];
  const { backfills } = await partitionsApi.list(project.id);
  const runs = backfills.reduce(
    (n, b) =>
      n + b.runs.filter((r) => r.status === 'SUCCESS' || r.status === 'FAILURE').length + b.runs.length,
    0,
  );
  if (knownRuns !== -1 && runs !== knownRuns) void refreshRuns();
  knownRuns = runs;
  return backfills;
}

export async function cancelBackfill(backfillId: string): Promise<void> {
  const project = store.getState().project;
  if (!project) return;
  try {
    await partitionsApi.cancel(project.id, backfillId);
    window.dispatchEvent(new Event(BACKFILLS_CHANGED));
  } catch (error) {
    reportError(error, 'Cancel failed');
  }
}

/** Each partitioned asset's status on the running instance (nothing when it does not run). */
export async function partitionStatus(): Promise<PartitionStatusAnswer | null> {
  const project = store.getState().project;
  if (!project || store.getState().workspace?.status !== 'ready') return null;
  return partitionsApi.status(project.id);
}
