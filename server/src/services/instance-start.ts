// Starting a project's `dg dev`: its start as steps (the process, the definitions, the webserver, the daemon),
// followed from dg's output and the processes of its group until the code location answers, or a failure with
// words (it stopped, it timed out, the definitions do not load).
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { InstanceState, ProgressStep } from '@designer/shared';
import { AppError } from '../errors.js';
import type { Instance } from './dagster-instance.js';
import { DAGSTER_HOME_DIR, PID_FILE } from './instance-home.js';
import { probe, reloadLocation, START_TIMEOUT_MS } from './instance-probe.js';
import { groupCommands, sleep, stopGroup } from './process-groups.js';

export type StartStepId = 'process' | 'definitions' | 'webserver' | 'daemon';
export type StartStep = ProgressStep & { id: StartStepId };

export const STEP_LABELS: Array<[StartStepId, string]> = [
  ['process', 'Start dg dev'],
  ['definitions', 'Load the definitions (code server)'],
  ['webserver', 'Start the webserver'],
  ['daemon', 'Start the daemon'],
];

/** A `dg dev` the service started, from its first output to its stop. */
export interface Entry {
  projectId: string;
  root: string;
  child: ChildProcess;
  url: string;
  log: string[];
  steps: StartStep[];
  status: 'starting' | 'ready' | 'failed';
  startedAt: number;
  readyAt?: number;
  error?: InstanceState['error'];
  instance?: Instance;
  idle?: NodeJS.Timeout;
  ready: Promise<Instance>;
  stopped: boolean;
  /** The code generation the code location has loaded (see `reload`). */
  loaded: number;
  reloading?: Promise<void>;
  /** The generation the reload under way loads. */
  reloadingFor?: number;
}

/** What the service does when a start fails or is ready, and the code generation a reload loads. */
export interface StartHooks {
  /** Forgets the entry and keeps its failed state (before its processes are stopped). */
  failed(entry: Entry): void;
  /** Arms the idle timer and follows the daemon. */
  ready(entry: Entry): void;
  generation(): number;
}

export function markStep(entry: Entry, id: StartStepId, status: StartStep['status']): void {
  const s = entry.steps.find((x) => x.id === id)!;
  if (s.status === status || s.status === 'done') return;
  if (status === 'running' || !s.startedAt) s.startedAt = Date.now();
  if (status === 'done' || status === 'failed') s.endedAt = Date.now();
  s.status = status;
}

/** Follows a starting `dg dev` through its stages until the code location has loaded. */
export async function watchStart(entry: Entry, hooks: StartHooks): Promise<Instance> {
  const step = (id: StartStepId, status: StartStep['status']) => markStep(entry, id, status);
  const fail = async (code: string, message: string, hint: string, status = 502): Promise<never> => {
    entry.status = 'failed';
    entry.error = { code, message, hint };
    for (const s of entry.steps) if (s.status === 'running') step(s.id, 'failed');
    hooks.failed(entry);
    await stopGroup(entry.child);
    await fs.rm(path.join(entry.root, DAGSTER_HOME_DIR, PID_FILE), { force: true });
    throw new AppError(status, code, message, hint);
  };
  step('process', 'running');
  const deadline = entry.startedAt + START_TIMEOUT_MS;
  let reloadedAfterFailure = false;
  for (;;) {
    if (entry.stopped)
      throw new AppError(503, 'instance_stopped', 'The Dagster instance was stopped while it started.');
    if (entry.child.exitCode !== null || entry.child.signalCode !== null)
      return fail(
        'dagster_failed_to_start',
        `Dagster stopped while starting (exit ${entry.child.exitCode ?? entry.child.signalCode}): ${entry.log.join('').trim().split('\n').slice(-3).join(' ')}`,
        'Run `dg dev` in the project folder to see the full error.',
      );
    if (Date.now() > deadline)
      return fail(
        'dagster_start_timeout',
        'Dagster did not answer within 3 minutes.',
        'Run `dg dev` in the project folder to see why.',
        504,
      );
    // Stages from dg dev's own output and the processes of its group (code server, webserver, daemon).
    const text = entry.log.join('');
    const commands = groupCommands(entry.child.pid!);
    const has = (re: RegExp) => commands.some((c) => re.test(c));
    if (/Launching Dagster services/.test(text) || has(/dagster (code-server|api grpc)/)) {
      step('process', 'done');
      step('definitions', 'running');
    }
    if (has(/dagster_webserver|dagster-webserver/) || /Serving dagster-webserver/.test(text)) {
      step('process', 'done');
      step('definitions', 'done');
      step('webserver', 'running');
    }
    if (has(/dagster\._daemon|dagster-daemon/)) step('daemon', 'running');
    if (/Instance is configured with the following daemons/.test(text)) step('daemon', 'done');
    let location: string | null = null;
    try {
      location = await probe(entry.url);
    } catch (error) {
      if (error instanceof AppError && error.code === 'definitions_failed') {
        // The first load can meet files being written (a sync, a state refresh): load once more, then fail.
        const name = (error.details as { location?: string } | undefined)?.location;
        if (!reloadedAfterFailure && name) {
          reloadedAfterFailure = true;
          const target = hooks.generation();
          await reloadLocation({ url: entry.url, location: name } as Instance)
            .then(() => (entry.loaded = Math.max(entry.loaded, target)))
            .catch(() => undefined); // judged by the next probe
          continue;
        }
        return fail(error.code, error.message, error.hint ?? '', 422);
      }
    }
    if (location !== null) {
      for (const s of entry.steps) if (s.id !== 'daemon') step(s.id, 'done');
      if (has(/dagster\._daemon|dagster-daemon/)) step('daemon', 'running');
      entry.status = 'ready';
      entry.readyAt = Date.now();
      entry.instance = {
        projectId: entry.projectId,
        root: entry.root,
        url: entry.url,
        pid: entry.child.pid!,
        location,
        startedAt: entry.readyAt,
      };
      hooks.ready(entry);
      return entry.instance;
    }
    await sleep(250);
  }
}

/** The daemon is not needed for a run (runs start at once): its step completes after readiness. */
export async function followDaemon(entry: Entry, current: () => boolean): Promise<void> {
  const s = entry.steps.find((x) => x.id === 'daemon')!;
  const until = Date.now() + 60_000;
  while (s.status !== 'done' && Date.now() < until && current()) {
    if (/Instance is configured with the following daemons/.test(entry.log.join(''))) {
      s.startedAt ??= Date.now();
      s.endedAt = Date.now();
      s.status = 'done';
    }
    await sleep(500);
  }
}

/** A failed start as GET …/instance reports it until the next start. */
export function stateOf(entry: Entry): InstanceState {
  return {
    projectId: entry.projectId,
    status: entry.status,
    steps: entry.steps.map((s) => ({ ...s })),
    startedAt: entry.startedAt,
    ...(entry.error ? { error: entry.error } : {}),
  };
}
