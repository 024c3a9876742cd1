// The warm inspection process of one project (server/python/inspect_defs.py --serve) and its line protocol:
// one JSON request per line on stdin, answers (and progress lines) back by id; released after `idleMs` without
// activity, never while a request is in flight.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { pythonScript } from '../config.js';
import { AppError } from '../errors.js';
import type { DagsterCli } from './dagster-cli.js';

const SCRIPT = pythonScript('inspect_defs.py');
// A first dbt parse of a big project on a busy machine takes minutes; a hung import is still cut off.
const REQUEST_TIMEOUT_MS = 600_000;

/** A stage the inspection process reports while it works (a component's state being refreshed). */
export interface InspectionProgress {
  step: string;
  label: string;
  status: 'running';
}

export class WarmProcess {
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
  /** Set when released for being idle (not stopped for a restart or by the designer shutting down). */
  private idle = false;
  served = 0;

  constructor(
    cli: DagsterCli,
    readonly root: string,
    private readonly idleMs: number,
    /** `idle` is true when it was released for being idle. */
    onExit: (idle: boolean) => void,
  ) {
    // No DAGSTER_IS_DEV_CLI: the script refreshes a component's state (dbt's manifest) only when its inputs
    // changed, with Dagster's own refresh_state, and the load reads the stored state.
    // Bytecode is cached in __pycache__ (DagsterCli drops PYTHONDONTWRITEBYTECODE for every tool it runs).
    this.child = cli.startPython(root, ['-W', 'ignore', SCRIPT, root, '--serve'], {
      env: { PYTHONUNBUFFERED: '1' },
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
      onExit(this.idle);
    });
    this.touch();
  }

  /** Activity (a preview, a run, an edit): the idle period starts again; a request in flight keeps it alive. */
  touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.waiting.size > 0) return this.touch();
      this.idle = true;
      this.stop();
    }, this.idleMs);
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
          this.touch();
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

  get pid(): number {
    return this.child.pid ?? 0;
  }

  stop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.stopping = true;
    if (this.alive) this.child.kill('SIGTERM');
  }
}
