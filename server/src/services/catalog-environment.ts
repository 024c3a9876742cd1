// The shared environment with every pinned component library: the palette's source before a
// project exists. Built once per toolchain.json, in the background, with the same code as projects.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, unavailable } from '../errors.js';
import { writeFileAtomic } from './atomic-file.js';
import type { DagsterCli } from './dagster-cli.js';
import type { Toolchain } from './toolchain.js';
import { createDagsterProject, isWorkspaceReady } from './workspace.js';

export type CatalogEnvState = 'missing' | 'creating' | 'ready' | 'error';

export class CatalogEnvironment {
  private job: Promise<void> | null = null;
  private step = '';
  private failure: AppError | null = null;

  constructor(
    private readonly toolchain: Toolchain,
    private readonly cli: DagsterCli,
  ) {}

  get root(): string {
    return this.toolchain.catalogRoot;
  }

  private get marker(): string {
    return path.join(path.dirname(this.root), '.ready');
  }

  /**
   * Identifies the pins the environment was built from; a change of toolchain.json rebuilds it. The test
   * deployment's own pins ("deployment", scripts/oss-deployment-setup.mjs) are not the catalog's.
   */
  private get pinsHash(): string {
    const { deployment: _deployment, ...pins } = this.toolchain.pins;
    return createHash('sha256').update(JSON.stringify(pins)).digest('hex').slice(0, 16);
  }

  state(): { state: CatalogEnvState; message?: string } {
    if (this.job) return { state: 'creating', message: this.step };
    if (this.failure) return { state: 'error', message: this.failure.message };
    const ready =
      existsSync(this.marker) &&
      readFileSync(this.marker, 'utf8').trim() === this.pinsHash &&
      isWorkspaceReady(this.root);
    return { state: ready ? 'ready' : 'missing' };
  }

  prepare(): Promise<void> {
    if (this.state().state === 'ready') return Promise.resolve();
    if (this.job) return this.job;
    this.failure = null;
    this.job = (async () => {
      try {
        await this.toolchain.assertReady();
        await fs.rm(path.dirname(this.root), { recursive: true, force: true });
        await fs.mkdir(path.dirname(this.root), { recursive: true });
        await createDagsterProject(
          this.cli,
          this.root,
          path.basename(this.root),
          (s) => (this.step = s),
          this.toolchain.allIntegrationRequirements(),
        );
        await writeFileAtomic(this.marker, `${this.pinsHash}\n`);
      } catch (error) {
        this.failure =
          error instanceof AppError ? error : new AppError(500, 'catalog_env_failed', String(error));
        throw this.failure;
      } finally {
        this.job = null;
      }
    })();
    return this.job;
  }

  requireReady(): string {
    const { state, message } = this.state();
    if (state === 'ready') return this.root;
    if (state === 'creating')
      throw unavailable(
        'catalog_preparing',
        `The component catalog is being prepared (${message}).`,
        'Retry in a minute, or open a project to see its own components.',
      );
    if (state === 'error')
      throw unavailable(
        'catalog_failed',
        `Preparing the component catalog failed: ${message}`,
        this.failure?.hint ?? 'Restart the server to retry.',
      );
    throw unavailable(
      'catalog_missing',
      'The component catalog environment has not been prepared.',
      'Run `npm start`, which prepares it, or pass ?project=<id>.',
    );
  }
}
