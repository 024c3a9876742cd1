// Asset preview: a warm inspection process per project (dagster imported once), each request loading
// the definitions afresh in a forked child. Restarted when it dies, stopped when idle.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { pythonScript } from '../config.js';
import { AppError } from '../errors.js';
import type { DagsterCli } from './dagster-cli.js';

const SCRIPT = pythonScript('inspect_defs.py');
const IDLE_MS = 5 * 60_000;
const REQUEST_TIMEOUT_MS = 180_000;

export interface RawAsset {
  key: string;
  deps: string[];
  kinds: string[];
  owners: string[];
  tags: Record<string, string>;
  metadata: Record<string, unknown>;
  group_name?: string;
  description?: string;
  folder?: string;
}

export interface RawProblem {
  severity: 'error' | 'warning';
  message: string;
  folder?: string;
  file?: string;
  line?: number;
  missing_module?: string;
  field?: string;
}

export interface ScriptRef {
  folder: string;
  path: string;
  field: string;
}

export interface Inspection {
  assets: RawAsset[];
  problems: RawProblem[];
  durationMs: number;
  warm: boolean;
}

class WarmProcess {
  private child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private nextId = 0;
  private waiting = new Map<number, { resolve: (text: string) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;
  private idleTimer: NodeJS.Timeout | null = null;
  alive = true;
  served = 0;

  constructor(
    cli: DagsterCli,
    readonly root: string,
    onExit: () => void,
  ) {
    this.child = spawn(cli.venvBin(root, 'python'), ['-W', 'ignore', SCRIPT, root, '--serve'], {
      cwd: root,
      // As under `dg dev`: components with state (dbt's manifest) prepare it when loaded.
      env: cli.toolEnv({ ...cli.venvEnv(root), PYTHONUNBUFFERED: '1', DAGSTER_IS_DEV_CLI: '1' }),
      stdio: 'pipe',
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
        const header = JSON.parse(line.slice(0, tab)) as { id: number };
        const job = this.waiting.get(header.id);
        this.waiting.delete(header.id);
        job?.resolve(line.slice(tab + 1));
      }
    });
    this.child.on('exit', (code) => {
      this.alive = false;
      const error = new AppError(
        502,
        'inspector_died',
        `The inspection process stopped (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`,
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

  async request(payload: Record<string, unknown>): Promise<string> {
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
            'Loading the definitions took longer than 3 minutes.',
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
      });
      this.child.stdin.write(`${JSON.stringify({ ...payload, id })}\n`);
    });
  }

  stop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.alive) this.child.kill('SIGTERM');
  }
}

export class InspectorService {
  private processes = new Map<string, WarmProcess>();

  constructor(
    private readonly cli: DagsterCli,
    /** The project's env values (its .env): set in the child that loads the definitions, never in the parent. */
    private readonly envOf: (root: string) => Promise<Record<string, string>> = () => Promise.resolve({}),
  ) {}

  /**
   * Loads the project's definitions (in its own venv) and returns what they define; `scripts` (root-relative
   * files nodes point at, with their defs folder and field) are checked for what a run would meet first.
   */
  async inspect(root: string, scripts: ScriptRef[] = []): Promise<Inspection> {
    const started = performance.now();
    let process = this.processes.get(root);
    const warm = process !== undefined && process.alive && process.served > 0;
    if (!process || !process.alive) {
      process = new WarmProcess(this.cli, root, () => {
        if (this.processes.get(root) === process) this.processes.delete(root);
      });
      this.processes.set(root, process);
    }
    const text = await process.request({ env: await this.envOf(root), scripts });
    const parsed = JSON.parse(text) as { assets: RawAsset[]; problems: RawProblem[] };
    return { ...parsed, durationMs: performance.now() - started, warm };
  }

  /** Stops the warm process of a project (after its environment changed) or of all projects. */
  stop(root?: string): void {
    for (const [key, process] of this.processes) {
      if (root === undefined || key === root) {
        process.stop();
        this.processes.delete(key);
      }
    }
  }
}
