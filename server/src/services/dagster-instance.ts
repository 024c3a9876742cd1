// A local Dagster instance per project (`dg dev`: webserver + daemon) on 127.0.0.1 and a free port, with
// DAGSTER_HOME inside the workspace; driven only through GraphQL. Started on demand or ahead of a run (with
// its start as steps), stopped when idle or when the designer stops (starting ones too: the whole process
// group goes), and a pid file per instance lets the next start-up stop what a crashed designer left.
import type { InstanceState, ProgressStep } from '@designer/shared';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.js';
import { writeFileAtomic } from './atomic-file.js';
import type { DagsterCli } from './dagster-cli.js';
import {
  DAGSTER_HOME_DIR,
  instanceEnv,
  PID_FILE,
  prepareHome,
  stopLeftoverInstances,
} from './instance-home.js';
import { activeRuns, freePort, probe, reloadLocation, START_TIMEOUT_MS } from './instance-probe.js';
import { groupCommands, sleep, stopGroup } from './process-groups.js';

// What other modules and tests take from here.
export { graphql, graphqlAt } from './graphql/client.js';
export { DAGSTER_HOME_DIR, instanceEnv, PID_FILE } from './instance-home.js';
export { groupAlive, groupCommands } from './process-groups.js';

const IDLE_MS = 20 * 60_000;
export interface Instance {
  projectId: string;
  root: string;
  url: string;
  pid: number;
  location: string;
  startedAt: number;
}

type StartStepId = 'process' | 'definitions' | 'webserver' | 'daemon';
type StartStep = ProgressStep & { id: StartStepId };

const STEP_LABELS: Array<[StartStepId, string]> = [
  ['process', 'Start dg dev'],
  ['definitions', 'Load the definitions (code server)'],
  ['webserver', 'Start the webserver'],
  ['daemon', 'Start the daemon'],
];

interface Entry {
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

export class DagsterInstanceService {
  private entries = new Map<string, Entry>();
  /** Starts still preparing DAGSTER_HOME and a port (no process yet): seen as starting, awaited by stopAll. */
  private preparing = new Map<string, Promise<Entry>>();
  /** Set by stopAll: no instance starts after the designer began to stop. */
  private closed = false;
  /** The last failed start per project (what GET …/instance reports until the next start). */
  private failed = new Map<string, InstanceState>();
  /** Per project, how many times a sync changed its files: the code location reloads when it is behind. */
  private generation = new Map<string, number>();
  /** Projects whose env values changed while their instance ran: it restarts once no run is in progress. */
  private staleEnv = new Set<string>();
  /** Marks this designer's pid files: any other one found at start-up was left by a designer that crashed. */
  readonly session = randomUUID();

  constructor(
    private readonly cli: DagsterCli,
    /** The project's env values (its .env), given to Dagster and every run it launches. */
    private readonly envOf: (root: string) => Promise<Record<string, string>> = () => Promise.resolve({}),
  ) {}

  envChanged(projectId: string): void {
    if (this.entries.has(projectId)) this.staleEnv.add(projectId);
  }

  /** Instances that answer (ready). */
  list(): Instance[] {
    return [...this.entries.values()].flatMap((e) => (e.instance ? [e.instance] : []));
  }

  get(projectId: string): Instance | undefined {
    return this.entries.get(projectId)?.instance;
  }

  /** Where the project's instance is: stopped, starting (with its steps), ready or failed. */
  state(projectId: string): InstanceState {
    const e = this.entries.get(projectId);
    if (!e && this.preparing.has(projectId))
      return {
        projectId,
        status: 'starting',
        steps: STEP_LABELS.map(([id, label]) => ({ id, label, status: 'pending' as const })),
      };
    if (!e) return this.failed.get(projectId) ?? { projectId, status: 'stopped', steps: [] };
    return {
      projectId,
      status: e.status,
      steps: e.steps.map((s) => ({ ...s })),
      url: e.url,
      startedAt: e.startedAt,
      ...(e.readyAt ? { readyAt: e.readyAt } : {}),
      ...(e.error ? { error: e.error } : {}),
    };
  }

  /** Starts the instance in the background (ahead of a run); its progress is in `state`. */
  warm(projectId: string, root: string): InstanceState {
    this.ensure(projectId, root).catch(() => undefined); // a failure is kept in `state`
    return this.state(projectId);
  }

  /** The project's instance, started (and waited for) when it is not running, with its code up to date. */
  async ensure(projectId: string, root: string): Promise<Instance> {
    const current = this.entries.get(projectId);
    if (current?.instance && this.staleEnv.has(projectId)) {
      // Env values reach Dagster's processes when they start: restart, unless that would kill a run.
      const busy = await activeRuns(current.instance).catch(() => 0);
      if (busy === 0) {
        this.staleEnv.delete(projectId);
        await this.stop(projectId);
      }
    }
    let entry = this.entries.get(projectId);
    if (!entry || entry.child.exitCode !== null || entry.child.signalCode !== null) {
      if (entry) this.entries.delete(projectId);
      let pending = this.preparing.get(projectId);
      if (!pending) {
        pending = this.start(projectId, root).finally(() => this.preparing.delete(projectId));
        this.preparing.set(projectId, pending);
      }
      entry = await pending;
    }
    const instance = await entry.ready;
    this.touch(entry);
    await this.upToDate(entry);
    return instance;
  }

  private touch(entry: Entry): void {
    clearTimeout(entry.idle);
    entry.idle = setTimeout(() => void this.stop(entry.projectId), IDLE_MS);
    entry.idle.unref();
  }

  private async start(projectId: string, root: string): Promise<Entry> {
    const home = path.join(root, DAGSTER_HOME_DIR);
    await prepareHome(home);
    const raced = this.entries.get(projectId);
    if (raced) return raced; // another request started it while this one prepared the folder
    const port = await freePort();
    const values = await this.envOf(root);
    const env = { ...values, ...instanceEnv(root, values) };
    const again = this.entries.get(projectId);
    if (again) return again;
    if (this.closed)
      throw new AppError(503, 'shutting_down', 'The designer is stopping: no Dagster instance starts now.');
    // No `dg check yaml` first: sync has validated every defs.yaml against its schema (seconds saved per start).
    const child = this.cli.startDg(
      root,
      ['dev', '--no-check-yaml', '--host', '127.0.0.1', '--port', String(port)],
      {
        env,
        dagsterHome: home,
        detached: true, // its own process group, so stop() reaches every child (webserver, daemon, code servers)
      },
    );
    const now = Date.now();
    const entry: Entry = {
      projectId,
      root,
      child,
      url: `http://127.0.0.1:${port}`,
      log: [],
      steps: STEP_LABELS.map(([id, label]) => ({ id, label, status: 'pending' as const })),
      status: 'starting',
      startedAt: now,
      stopped: false,
      loaded: this.generation.get(projectId) ?? 0,
      ready: Promise.resolve(null as unknown as Instance),
    };
    this.entries.set(projectId, entry);
    this.failed.delete(projectId);
    const keep = (chunk: Buffer) => {
      entry.log.push(chunk.toString());
      if (entry.log.length > 200) entry.log.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', () => {
      if (this.entries.get(projectId) === entry && entry.status === 'ready') {
        this.entries.delete(projectId);
        clearTimeout(entry.idle);
        void fs.rm(path.join(home, PID_FILE), { force: true });
      }
    });
    if (child.pid)
      await writeFileAtomic(
        path.join(home, PID_FILE),
        `${JSON.stringify({ pid: child.pid, session: this.session, port, startedAt: new Date(now).toISOString() })}\n`,
      ).catch(() => undefined);
    entry.ready = this.watchStart(entry);
    entry.ready.catch(() => undefined);
    return entry;
  }

  /** Follows a starting `dg dev` through its stages until the code location has loaded. */
  private async watchStart(entry: Entry): Promise<Instance> {
    const step = (id: StartStepId, status: StartStep['status']) => {
      const s = entry.steps.find((x) => x.id === id)!;
      if (s.status === status || s.status === 'done') return;
      if (status === 'running' || !s.startedAt) s.startedAt = Date.now();
      if (status === 'done' || status === 'failed') s.endedAt = Date.now();
      s.status = status;
    };
    const fail = async (code: string, message: string, hint: string, status = 502): Promise<never> => {
      entry.status = 'failed';
      entry.error = { code, message, hint };
      for (const s of entry.steps) if (s.status === 'running') step(s.id, 'failed');
      if (this.entries.get(entry.projectId) === entry) this.entries.delete(entry.projectId);
      this.failed.set(entry.projectId, this.stateOf(entry));
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
            const target = this.generation.get(entry.projectId) ?? 0;
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
        this.touch(entry);
        void this.followDaemon(entry);
        return entry.instance;
      }
      await sleep(250);
    }
  }

  /** The daemon is not needed for a run (runs start at once): its step completes after readiness. */
  private async followDaemon(entry: Entry): Promise<void> {
    const s = entry.steps.find((x) => x.id === 'daemon')!;
    const until = Date.now() + 60_000;
    while (s.status !== 'done' && Date.now() < until && this.entries.get(entry.projectId) === entry) {
      if (/Instance is configured with the following daemons/.test(entry.log.join(''))) {
        s.startedAt ??= Date.now();
        s.endedAt = Date.now();
        s.status = 'done';
      }
      await sleep(500);
    }
  }

  private stateOf(entry: Entry): InstanceState {
    return {
      projectId: entry.projectId,
      status: entry.status,
      steps: entry.steps.map((s) => ({ ...s })),
      startedAt: entry.startedAt,
      ...(entry.error ? { error: entry.error } : {}),
    };
  }

  /**
   * A sync changed the project's files: the code location is behind. A ready instance reloads now (in the
   * background); a run waits for that reload (`ensure`), and a run with nothing changed reloads nothing.
   */
  async reload(projectId: string): Promise<void> {
    this.generation.set(projectId, (this.generation.get(projectId) ?? 0) + 1);
    const entry = this.entries.get(projectId);
    if (entry?.status === 'ready') await this.upToDate(entry);
  }

  /** Whether the code location has loaded the project's last synced files. */
  isCurrent(projectId: string): boolean {
    const entry = this.entries.get(projectId);
    return Boolean(entry && entry.loaded >= (this.generation.get(projectId) ?? 0));
  }

  /**
   * Reloads until the code location has loaded the last synced files. A reload that fails says nothing about
   * files that changed again meanwhile (the next sync may write while it loads, e.g. a node put aside that had
   * a duplicate key): that failure is not the caller's, another reload follows. A failure of the current files
   * is retried once (a load can fail under load, e.g. a code server too slow to answer), then reported.
   */
  private async upToDate(entry: Entry): Promise<void> {
    const current = () => this.generation.get(entry.projectId) ?? 0;
    let failures = 0;
    while (entry.loaded < current()) {
      if (!entry.reloading) {
        const target = current();
        entry.reloadingFor = target;
        entry.reloading = reloadLocation(entry.instance!)
          .then(() => {
            entry.loaded = Math.max(entry.loaded, target);
          })
          .finally(() => (entry.reloading = undefined));
        entry.reloading.catch(() => undefined); // a background reload nobody waits for is not unhandled
      }
      const target = entry.reloadingFor ?? current();
      try {
        await entry.reloading;
      } catch (error) {
        if (current() > target) continue; // stale: the files changed since that reload began
        failures += 1;
        if (failures > 1) throw error;
      }
    }
  }

  async stop(projectId: string): Promise<void> {
    const entry = this.entries.get(projectId);
    if (!entry) return;
    this.entries.delete(projectId);
    entry.stopped = true;
    clearTimeout(entry.idle);
    await stopGroup(entry.child);
    await fs.rm(path.join(entry.root, DAGSTER_HOME_DIR, PID_FILE), { force: true });
  }

  /** Stops every instance, ready or still starting. */
  async stopAll(): Promise<void> {
    this.closed = true;
    await Promise.allSettled(this.preparing.values()); // each either spawned (stopped below) or gave up
    await Promise.all([...this.entries.keys()].map((id) => this.stop(id)));
  }

  /** At start-up: stops what a designer that crashed left running (see stopLeftoverInstances). */
  async stopLeftovers(dataDir: string): Promise<number[]> {
    return stopLeftoverInstances(dataDir, this.session);
  }
}
