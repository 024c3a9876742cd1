// A local Dagster instance per project (`dg dev`: webserver + daemon) on 127.0.0.1 and a free port, with
// DAGSTER_HOME inside the workspace; driven only through GraphQL. Started on demand, stopped when idle
// or when the designer stops: the whole process group goes, so nothing is left behind.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { AppError } from '../errors.js';
import { writeFileAtomic } from './atomic-file.js';
import type { DagsterCli } from './dagster-cli.js';

const START_TIMEOUT_MS = 180_000;
const IDLE_MS = 20 * 60_000;
export const DAGSTER_HOME_DIR = '.dagster_home';

// Runs start at once (no queue to wait on) and nothing is reported home.
const INSTANCE_YAML = `run_coordinator:
  module: dagster.core.run_coordinator
  class: DefaultRunCoordinator
telemetry:
  enabled: false
`;

export interface Instance {
  projectId: string;
  root: string;
  url: string;
  pid: number;
  location: string;
  startedAt: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class DagsterInstanceService {
  private running = new Map<
    string,
    { instance: Instance; child: ChildProcess; idle: NodeJS.Timeout; log: string[] }
  >();
  private starting = new Map<string, Promise<Instance>>();
  /** Projects whose env values changed while their instance ran: it restarts once no run is in progress. */
  private staleEnv = new Set<string>();

  constructor(
    private readonly cli: DagsterCli,
    /** The project's env values (its .env), given to Dagster and every run it launches. */
    private readonly envOf: (root: string) => Promise<Record<string, string>> = () => Promise.resolve({}),
  ) {}

  envChanged(projectId: string): void {
    if (this.running.has(projectId)) this.staleEnv.add(projectId);
  }

  list(): Instance[] {
    return [...this.running.values()].map((r) => r.instance);
  }

  get(projectId: string): Instance | undefined {
    return this.running.get(projectId)?.instance;
  }

  /** The project's instance, started (and waited for) when it is not running. */
  async ensure(projectId: string, root: string): Promise<Instance> {
    const current = this.running.get(projectId);
    if (current && current.child.exitCode === null && this.staleEnv.has(projectId)) {
      // Env values reach Dagster's processes when they start: restart, unless that would kill a run.
      const busy = await activeRuns(current.instance).catch(() => 0);
      if (busy === 0) {
        this.staleEnv.delete(projectId);
        await this.stop(projectId);
      }
    }
    const live = this.running.get(projectId);
    if (live && live.child.exitCode === null) {
      this.touch(projectId);
      return live.instance;
    }
    let pending = this.starting.get(projectId);
    if (!pending) {
      pending = this.start(projectId, root).finally(() => this.starting.delete(projectId));
      this.starting.set(projectId, pending);
    }
    return pending;
  }

  private touch(projectId: string): void {
    const r = this.running.get(projectId);
    if (!r) return;
    clearTimeout(r.idle);
    r.idle = setTimeout(() => void this.stop(projectId), IDLE_MS);
    r.idle.unref();
  }

  private async start(projectId: string, root: string): Promise<Instance> {
    const home = path.join(root, DAGSTER_HOME_DIR);
    await fs.mkdir(home, { recursive: true });
    if (!existsSync(path.join(home, 'dagster.yaml')))
      await writeFileAtomic(path.join(home, 'dagster.yaml'), INSTANCE_YAML);
    const port = await freePort();
    const child = this.cli.startDg(root, ['dev', '--host', '127.0.0.1', '--port', String(port)], {
      env: await this.envOf(root),
      dagsterHome: home,
      detached: true, // its own process group, so stop() reaches every child (webserver, daemon, code servers)
    });
    const log: string[] = [];
    const keep = (chunk: Buffer) => {
      log.push(chunk.toString());
      if (log.length > 200) log.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + START_TIMEOUT_MS;
    let location: string | null = null;
    while (location === null) {
      if (child.exitCode !== null)
        throw new AppError(
          502,
          'dagster_failed_to_start',
          `Dagster stopped while starting (exit ${child.exitCode}): ${log.join('').trim().split('\n').slice(-3).join(' ')}`,
          'Run `dg dev` in the project folder to see the full error.',
        );
      if (Date.now() > deadline) {
        killGroup(child);
        throw new AppError(
          504,
          'dagster_start_timeout',
          'Dagster did not answer within 3 minutes.',
          'Run `dg dev` in the project folder to see why.',
        );
      }
      location = await probe(url).catch(() => null);
      if (location === null) await new Promise((r) => setTimeout(r, 500));
    }
    const instance: Instance = { projectId, root, url, pid: child.pid!, location, startedAt: Date.now() };
    const idle = setTimeout(() => void this.stop(projectId), IDLE_MS);
    idle.unref();
    this.running.set(projectId, { instance, child, idle, log });
    child.on('exit', () => {
      if (this.running.get(projectId)?.child === child) this.running.delete(projectId);
    });
    return instance;
  }

  /** Reloads the code location after a sync changed the definitions. */
  async reload(projectId: string): Promise<void> {
    const instance = this.get(projectId);
    if (!instance) return;
    await graphql(
      instance,
      'mutation($name: String!) { reloadRepositoryLocation(repositoryLocationName: $name) { __typename } }',
      { name: instance.location },
    );
  }

  async stop(projectId: string): Promise<void> {
    const r = this.running.get(projectId);
    if (!r) return;
    this.running.delete(projectId);
    clearTimeout(r.idle);
    await stopGroup(r.child);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stop(id)));
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  killGroup(child, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && groupAlive(child.pid!)) await new Promise((r) => setTimeout(r, 200));
  if (groupAlive(child.pid!)) {
    killGroup(child, 'SIGKILL');
    // SIGKILL cannot be ignored, but the kernel and Node still need a moment to reap the processes.
    const reaped = Date.now() + 5_000;
    while (Date.now() < reaped && groupAlive(child.pid!)) await new Promise((r) => setTimeout(r, 100));
  }
}

export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The code location's name once the webserver answers and the location has loaded; null before. */
async function probe(url: string): Promise<string | null> {
  const data = await graphqlAt<{
    workspaceOrError: {
      locationEntries?: Array<{
        name: string;
        locationOrLoadError: { __typename: string; message?: string } | null;
      }>;
    };
  }>(
    url,
    '{ workspaceOrError { __typename ... on Workspace { locationEntries { name locationOrLoadError { __typename ... on PythonError { message } } } } } }',
  );
  const entry = data.workspaceOrError.locationEntries?.[0];
  if (!entry || !entry.locationOrLoadError) return null;
  if (entry.locationOrLoadError.__typename === 'PythonError') {
    throw new AppError(
      422,
      'definitions_failed',
      `Dagster cannot load the project: ${entry.locationOrLoadError.message ?? ''}`.trim(),
      'Preview the project to see the problem on its component.',
    );
  }
  return entry.name;
}

/** How many runs of the instance are queued or in progress. */
async function activeRuns(instance: Instance): Promise<number> {
  const data = await graphql<{ runsOrError: { results?: unknown[] } }>(
    instance,
    '{ runsOrError(filter: { statuses: [QUEUED, NOT_STARTED, STARTING, STARTED, CANCELING] }) { ... on Runs { results { runId } } } }',
  );
  return data.runsOrError.results?.length ?? 0;
}

export async function graphqlAt<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new AppError(
      502,
      'dagster_unreachable',
      `The Dagster instance does not answer: ${(error as Error).message}`,
      'It may have stopped; the next request starts it again.',
    );
  }
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: Array<{ message: string }> };
  if (!response.ok || body.errors?.length || !body.data) {
    throw new AppError(
      502,
      'graphql_error',
      `Dagster's GraphQL API answered with an error: ${body.errors?.map((e) => e.message).join('; ') ?? response.status}`,
    );
  }
  return body.data;
}

export const graphql = <T>(instance: Instance, query: string, variables: Record<string, unknown> = {}) =>
  graphqlAt<T>(instance.url, query, variables);
