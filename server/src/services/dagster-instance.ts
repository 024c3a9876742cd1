// A local Dagster instance per project (`dg dev`: webserver + daemon) on 127.0.0.1 and a free port, with
// DAGSTER_HOME inside the workspace; driven only through GraphQL. Started on demand or ahead of a run (with
// its start as steps), stopped when idle or when the designer stops (starting ones too: the whole process
// group goes), and a pid file per instance lets the next start-up stop what a crashed designer left.
import type { InstanceState } from '@designer/shared';
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
import { activeRuns, freePort, reloadLocation } from './instance-probe.js';
import { followDaemon, STEP_LABELS, stateOf, watchStart, type Entry } from './instance-start.js';
import { stopGroup } from './process-groups.js';

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
    entry.ready = watchStart(entry, {
      failed: (e) => {
        if (this.entries.get(e.projectId) === e) this.entries.delete(e.projectId);
        this.failed.set(e.projectId, stateOf(e));
      },
      ready: (e) => {
        this.touch(e);
        void followDaemon(e, () => this.entries.get(e.projectId) === e);
      },
      generation: () => this.generation.get(projectId) ?? 0,
    });
    entry.ready.catch(() => undefined);
    return entry;
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
