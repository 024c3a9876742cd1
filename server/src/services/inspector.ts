// Preview: a warm inspection process per project (dagster and the project's libraries imported once), each
// request loading the whole project afresh in a forked child, as `dg list defs` does. Restarted when it dies,
// stopped when idle.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type {
  AssetCheck,
  AssetPartitions,
  DefinedAt,
  Job,
  PreviewStep,
  Resource,
  Schedule,
  Sensor,
} from '@designer/shared';
import { pythonScript } from '../config.js';
import { AppError } from '../errors.js';
import type { DagsterCli } from './dagster-cli.js';

const SCRIPT = pythonScript('inspect_defs.py');
const IDLE_MS = 5 * 60_000;
// A first dbt parse of a big project on a busy machine takes minutes; a hung import is still cut off.
const REQUEST_TIMEOUT_MS = 600_000;

export interface RawAsset {
  key: string;
  deps: string[];
  kinds: string[];
  owners: string[];
  tags: Record<string, string>;
  metadata: Record<string, unknown>;
  group_name?: string;
  description?: string;
  is_executable?: boolean;
  /** Where Dagster built it, relative to defs/ (its defs.yaml and document, or its Python module). */
  defined_at?: DefinedAt;
  /** The top-level defs folder of `defined_at` (today's nodes are one such folder each). */
  folder?: string;
  /** Its partitions definition, when partitioned. */
  partitions?: AssetPartitions;
}

export interface RawProblem {
  severity: 'error' | 'warning';
  message: string;
  folder?: string;
  file?: string;
  line?: number;
  missing_module?: string;
  field?: string;
  /** The component tree entry that failed, relative to defs/ (`ingest`, `assets/orders.py`), and its document. */
  component?: string;
  document?: number;
}

export interface ScriptRef {
  folder: string;
  path: string;
  field: string;
}

type Located<T> = Omit<T, 'nodeId'> & { folder?: string };

export interface Inspection {
  assets: RawAsset[];
  checks: Located<AssetCheck>[];
  jobs: Located<Job>[];
  schedules: Located<Schedule>[];
  sensors: Located<Sensor>[];
  resources: Located<Resource>[];
  problems: RawProblem[];
  steps: PreviewStep[];
  durationMs: number;
  warm: boolean;
  /** The whole load failed and this is what loads without the failing entries of defs/ (see inspect_defs.py). */
  partial: boolean;
}

/** A stage the inspection process reports while it works (a component's state being refreshed). */
export interface InspectionProgress {
  step: string;
  label: string;
  status: 'running';
}

/** The top-level defs folder a definition's `defined_at` lies in ('' for a module at the top of defs/). */
export function topFolder(at: DefinedAt | undefined): string | undefined {
  if (!at) return undefined;
  const slash = at.path.indexOf('/');
  return slash === -1 ? (at.path.endsWith('.py') ? '' : at.path) : at.path.slice(0, slash);
}

function withFolder<T extends { defined_at?: DefinedAt }>(item: T): T & { folder?: string } {
  const folder = topFolder(item.defined_at);
  return folder ? { ...item, folder } : item;
}

class WarmProcess {
  private child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private nextId = 0;
  private waiting = new Map<
    number,
    {
      resolve: (text: string) => void;
      reject: (e: Error) => void;
      progress?: (p: InspectionProgress) => void;
    }
  >();
  readonly ready: Promise<void>;
  private idleTimer: NodeJS.Timeout | null = null;
  alive = true;
  /** Set by stop(): an exit that follows is a restart, not a failure. */
  private stopping = false;
  served = 0;

  constructor(
    cli: DagsterCli,
    readonly root: string,
    onExit: () => void,
  ) {
    // No DAGSTER_IS_DEV_CLI: the script refreshes a component's state (dbt's manifest) only when its inputs
    // changed, with Dagster's own refresh_state, and the load reads the stored state.
    // Bytecode is cached (in __pycache__, which no listing, export or push shows): without it every cold start
    // compiles dagster and dbt from source again, seconds of the preview.
    this.child = cli.startPython(root, ['-W', 'ignore', SCRIPT, root, '--serve'], {
      env: { PYTHONUNBUFFERED: '1' },
      writeBytecode: true,
    });
    let markReady: () => void = () => undefined;
    let failReady: (e: Error) => void = () => undefined;
    this.ready = new Promise((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    let stderr = '';
    this.child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString();
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) !== -1) {
        const line = this.buffer.slice(0, newline);
        this.buffer = this.buffer.slice(newline + 1);
        if (line.startsWith('{"ready"')) {
          markReady();
          continue;
        }
        const tab = line.indexOf('\t');
        const header = JSON.parse(line.slice(0, tab)) as { id: number; progress?: boolean };
        if (header.progress) {
          this.waiting.get(header.id)?.progress?.(JSON.parse(line.slice(tab + 1)) as InspectionProgress);
          continue;
        }
        const job = this.waiting.get(header.id);
        this.waiting.delete(header.id);
        job?.resolve(line.slice(tab + 1));
      }
    });
    this.child.on('exit', (code, signal) => {
      this.alive = false;
      const last = stderr.trim().split('\n').slice(-3).join(' ');
      // Stopped on purpose (the environment changed, a library was added): the request is asked again of a
      // fresh process, so the user never sees this one.
      const error = this.stopping
        ? new AppError(503, 'inspector_restarted', 'The inspection process was restarted.')
        : new AppError(
            502,
            'inspector_died',
            `The inspection process stopped (${signal ? `signal ${signal}` : `exit ${code}`})${last ? `: ${last}` : '.'}`,
            'Check that the project environment is intact (uv sync).',
          );
      failReady(error);
      for (const job of this.waiting.values()) job.reject(error);
      this.waiting.clear();
      onExit();
    });
    this.touch();
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), IDLE_MS);
    this.idleTimer.unref();
  }

  async request(
    payload: Record<string, unknown>,
    progress?: (p: InspectionProgress) => void,
  ): Promise<string> {
    await this.ready;
    this.touch();
    this.nextId += 1;
    const id = this.nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(
          new AppError(
            504,
            'preview_timeout',
            'Loading the definitions took longer than 10 minutes.',
            'Look for code that blocks at import time in the defs folder.',
          ),
        );
        this.stop();
      }, REQUEST_TIMEOUT_MS);
      this.waiting.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          this.served += 1;
          resolve(text);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
        progress,
      });
      this.child.stdin.write(`${JSON.stringify({ ...payload, id })}\n`);
    });
  }

  stop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.stopping = true;
    if (this.alive) this.child.kill('SIGTERM');
  }
}

export class InspectorService {
  private processes = new Map<string, WarmProcess>();
  /** Stopped as a whole (the designer shuts down): no process is started again. */
  private closed = false;

  constructor(
    private readonly cli: DagsterCli,
    /** The project's env values (its .env): set in the child that loads the definitions, never in the parent. */
    private readonly envOf: (root: string) => Promise<Record<string, string>> = () => Promise.resolve({}),
  ) {}

  /**
   * Loads the project's definitions (in its own venv) and returns what they define; `scripts` (root-relative
   * files nodes point at, with their defs folder and field) are checked for what a run would meet first.
   * `onProgress` hears of slow stages while they run (a component's state being refreshed).
   */
  async inspect(
    root: string,
    scripts: ScriptRef[] = [],
    onProgress?: (p: InspectionProgress) => void,
  ): Promise<Inspection> {
    const started = performance.now();
    const existing = this.processes.get(root);
    const warm = existing !== undefined && existing.alive && existing.served > 0;
    let text: string;
    try {
      text = await this.processFor(root).request({ env: await this.envOf(root), scripts }, onProgress);
    } catch (error) {
      // A restart (stop() after the environment changed) while this request waited: ask a fresh process once.
      if (!(error instanceof AppError && error.code === 'inspector_restarted')) throw error;
      text = await this.processFor(root).request({ env: await this.envOf(root), scripts }, onProgress);
    }
    const parsed = JSON.parse(text) as Omit<Inspection, 'durationMs' | 'warm' | 'partial'> & {
      partial?: boolean;
    };
    return {
      assets: parsed.assets.map(withFolder),
      checks: parsed.checks.map(withFolder),
      jobs: parsed.jobs.map(withFolder),
      schedules: parsed.schedules.map(withFolder),
      sensors: parsed.sensors.map(withFolder),
      resources: parsed.resources.map(withFolder),
      problems: parsed.problems.map((p) => {
        const folder = p.folder ?? (p.component ? topFolder({ path: p.component }) : undefined);
        return folder ? { ...p, folder } : p;
      }),
      steps: parsed.steps,
      durationMs: performance.now() - started,
      warm,
      partial: parsed.partial === true,
    };
  }

  private processFor(root: string): WarmProcess {
    if (this.closed) throw new AppError(503, 'shutting_down', 'The designer is shutting down.');
    const current = this.processes.get(root);
    if (current?.alive) return current;
    const process: WarmProcess = new WarmProcess(this.cli, root, () => {
      if (this.processes.get(root) === process) this.processes.delete(root);
    });
    this.processes.set(root, process);
    return process;
  }

  /** Stops the warm process of a project (after its environment changed) or of all projects. */
  stop(root?: string): void {
    if (root === undefined) this.closed = true;
    for (const [key, process] of this.processes) {
      if (root === undefined || key === root) {
        process.stop();
        this.processes.delete(key);
      }
    }
  }
}
