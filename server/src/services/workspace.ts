// The real Dagster project of each designer project (`<dataDir>/<uuid>/`), created with create-dagster
// in the background and observable through its status.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { WorkspaceStatus } from '@designer/shared';
import { AppError, conflict } from '../errors.js';
import type { DagsterCli } from './dagster-cli.js';

interface Job {
  status: 'creating' | 'error';
  step: string;
  message?: string;
  hint?: string;
  done: Promise<void>;
}

/**
 * Creates a Dagster project at `target` whose package is `packageName`. create-dagster names the
 * package after the folder, so it runs in a staging folder and the result is moved into place
 * before `uv sync` (the venv's scripts carry absolute paths, so it must be built where it lives).
 */
export async function createDagsterProject(
  cli: DagsterCli,
  target: string,
  packageName: string,
  report: (step: string) => void,
  extraRequirements: readonly string[] = [],
): Promise<void> {
  const staging = path.join(
    path.dirname(target),
    '.staging',
    `${path.basename(target)}-${process.pid}-${Date.now()}`,
  );
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true });
  try {
    report('Scaffolding the project with create-dagster');
    await cli.createProject(path.join(staging, packageName));
    await fs.rename(path.join(staging, packageName), target);
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
  report('Installing Dagster into the project (uv sync)');
  await cli.uvSync(target);
  if (extraRequirements.length > 0) {
    report(`Adding ${extraRequirements.join(', ')}`);
    await cli.uvAdd(target, extraRequirements);
  }
  if (!existsSync(cli.venvBin(target, 'dg'))) {
    throw new AppError(
      502,
      'workspace_incomplete',
      'The project was created but its environment has no `dg` command.',
      'Run `uv sync` in the project folder and check its output.',
    );
  }
}

export function isWorkspaceReady(dir: string): boolean {
  return existsSync(path.join(dir, 'pyproject.toml')) && existsSync(path.join(dir, '.venv', 'bin', 'dg'));
}

export class WorkspaceService {
  private jobs = new Map<string, Job>();

  constructor(
    private readonly cli: DagsterCli,
    private readonly workspaceOf: (id: string) => string,
  ) {}

  status(id: string): WorkspaceStatus {
    const dir = this.workspaceOf(id);
    const job = this.jobs.get(id);
    if (job) return { status: job.status, step: job.step, message: job.message, hint: job.hint, path: dir };
    return { status: isWorkspaceReady(dir) ? 'ready' : 'missing', path: dir };
  }

  /**
   * Starts creating the workspace unless it exists or is being created; resolves when the job ends. `setup` (a
   * project template's files and libraries) runs before the workspace reads as ready.
   */
  create(
    id: string,
    packageName: string,
    setup?: (dir: string, report: (step: string) => void) => Promise<void>,
  ): Promise<void> {
    const existing = this.jobs.get(id);
    if (existing?.status === 'creating') return existing.done;
    const dir = this.workspaceOf(id);
    if (isWorkspaceReady(dir)) return Promise.resolve();
    const job: Job = { status: 'creating', step: 'Starting', done: Promise.resolve() };
    job.done = (async () => {
      try {
        // A half-made folder from an earlier failed attempt holds nothing of the user's yet.
        await fs.rm(dir, { recursive: true, force: true });
        await createDagsterProject(this.cli, dir, packageName, (step) => {
          job.step = step;
        });
        // create-dagster's generic README is not the team's: without one, the hand-over writes the designer's
        // (how to run, env vars); a README the user writes, or one an import brings, leaves byte for byte.
        await fs.rm(path.join(dir, 'README.md'), { force: true });
        await setup?.(dir, (step) => {
          job.step = step;
        });
        this.jobs.delete(id);
      } catch (error) {
        job.status = 'error';
        job.message = error instanceof Error ? error.message : String(error);
        job.hint = error instanceof AppError ? error.hint : undefined;
      }
    })();
    this.jobs.set(id, job);
    return job.done;
  }

  /**
   * Runs `task` (an import, which replaces the workspace) as the only operation on the workspace: refused with
   * 409 while the workspace is being created or replaced; meanwhile it reads as `creating` (so routes that need
   * it answer 409) and `create` waits for it instead of racing it.
   */
  exclusive<T>(id: string, step: string, task: (report: (step: string) => void) => Promise<T>): Promise<T> {
    const existing = this.jobs.get(id);
    if (existing?.status === 'creating')
      return Promise.reject(
        conflict(
          'workspace_creating',
          `The Dagster project is still being created (${existing.step}); the import was not started.`,
          'Wait until GET /api/projects/:id/workspace says ready, then import again.',
        ),
      );
    const job: Job = { status: 'creating', step, done: Promise.resolve() };
    this.jobs.set(id, job);
    // The task's steps show in the workspace status while it runs (an import: copying, installing, reading…).
    const result = task((next) => {
      job.step = next;
    });
    job.done = result.then(
      () => undefined,
      () => undefined,
    );
    void job.done.then(() => {
      if (this.jobs.get(id) === job) this.jobs.delete(id);
    });
    return result;
  }

  /** The workspace folder, or a 409 saying why it cannot be used yet. */
  requireReady(id: string): string {
    const s = this.status(id);
    if (s.status === 'ready') return s.path;
    if (s.status === 'creating')
      throw conflict(
        'workspace_creating',
        `The Dagster project is still being created (${s.step}).`,
        'Wait until GET /api/projects/:id/workspace says ready.',
      );
    if (s.status === 'error')
      throw conflict(
        'workspace_failed',
        `Creating the Dagster project failed: ${s.message}`,
        s.hint ?? 'Retry with POST /api/projects/:id/workspace.',
      );
    throw conflict(
      'workspace_missing',
      'This project has no Dagster project on disk.',
      'Create it with POST /api/projects/:id/workspace.',
    );
  }

  /** Waits for every running job (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }
}
