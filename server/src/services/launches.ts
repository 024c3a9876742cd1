// A launch the designer started: what happens before Dagster has the run (it is LAUNCHING until then), its
// steps, and how it shows as a run and in the logs meanwhile.
import { randomUUID } from 'node:crypto';
import type { ProgressStep, Run, RunEvent, RunLaunch } from '@designer/shared';
import { AppError } from '../errors.js';

export interface LaunchOptions {
  /** Asset keys to run; with `nodes` too, both. Neither: every asset. */
  assets?: string[];
  /** Node ids whose assets to run, resolved after the sync (so a key edited a moment ago is the one run). */
  nodes?: string[];
  runConfig?: Record<string, unknown>;
  env?: Record<string, string>;
}

/** A launch the designer started: what happens before Dagster has the run (it is LAUNCHING until then). */
export interface Launch {
  id: string;
  projectId: string;
  root: string;
  createdAt: number;
  endedAt?: number;
  assets: string[];
  steps: ProgressStep[];
  error?: RunLaunch['error'];
  canceled: boolean;
  /** Dagster's run id, once Dagster has the run. */
  runId?: string;
  /**
   * A launch through `dg launch` (env overrides) learns its run id by looking for a new run: the run ids Dagster
   * had before it, so that whoever sees the new run first (the launch or a look at the history) claims it.
   */
  runsBefore?: Set<string>;
  /** Settles with Dagster's run id, or fails with the reason the run could not start. */
  done: Promise<string>;
}

export const LAUNCH_STEPS: Array<[string, string]> = [
  ['sync', 'Write the graph into the Dagster project'],
  ['instance', 'Start the local Dagster instance'],
  ['reload', 'Reload the definitions'],
  ['select', 'Check the asset keys'],
  ['launch', 'Hand the run to Dagster'],
];
/** Finished launches are forgotten after an hour (their runs stay in Dagster's storage, tagged). */
export const LAUNCH_KEEP_MS = 60 * 60_000;

export function newLaunch(projectId: string, root: string, assets: readonly string[]): Launch {
  return {
    id: randomUUID(),
    projectId,
    root,
    createdAt: Date.now(),
    assets: [...assets],
    steps: LAUNCH_STEPS.map(([id, label]) => ({ id, label, status: 'pending' as const })),
    canceled: false,
    done: Promise.resolve(''),
  };
}

/** `mark` sets a step's status; `within` runs a step's work with its status (never once the launch is cancelled). */
export function launchSteps(launch: Launch) {
  const step = (id: string) => launch.steps.find((s) => s.id === id)!;
  const mark = (id: string, status: ProgressStep['status'], detail?: string) => {
    const s = step(id);
    if (status === 'running') s.startedAt = Date.now();
    else s.endedAt = Date.now();
    s.status = status;
    if (detail) s.detail = detail;
  };
  const within = async <T>(id: string, work: () => Promise<T>): Promise<T> => {
    if (launch.canceled)
      throw new AppError(409, 'launch_canceled', 'The run was cancelled before it started.');
    mark(id, 'running');
    try {
      const result = await work();
      if (step(id).status === 'running') mark(id, 'done');
      return result;
    } catch (error) {
      mark(id, 'failed');
      throw error;
    }
  };
  return { mark, within };
}

/** What a launch looks like as a run before Dagster has it: LAUNCHING, or FAILURE/CANCELED with the reason. */
export function pendingRun(l: Launch, progress: RunLaunch): Run {
  const status = l.canceled ? 'CANCELED' : l.error ? 'FAILURE' : 'LAUNCHING';
  return {
    runId: l.id,
    projectId: l.projectId,
    status,
    startTime: l.createdAt / 1000,
    endTime: status === 'LAUNCHING' ? null : (l.endedAt ?? Date.now()) / 1000,
    creationTime: l.createdAt / 1000,
    assets: l.assets,
    steps: [],
    launchId: l.id,
    launch: progress,
    materializations: [],
  };
}

/** Before Dagster has the run there are no events; a launch that failed tells why, as one event. */
export function launchEvents(
  launch: Launch,
  cursor?: string,
): { events: RunEvent[]; cursor: string | null; hasMore: boolean } {
  const events: RunEvent[] = launch.error
    ? [
        {
          type: 'LaunchFailure',
          message: launch.error.message,
          timestamp: String(launch.endedAt ?? Date.now()),
          level: 'ERROR',
          stepKey: null,
          ...(launch.error.hint ? { error: launch.error.hint } : {}),
        },
      ]
    : [];
  return {
    events: cursor === 'launch' ? [] : events,
    cursor: events.length ? 'launch' : null,
    hasMore: false,
  };
}
