// The pinned Python toolchain (toolchain.json): where uv is, what it pins, whether it is usable.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { unavailable } from '../errors.js';
import { readUvVersion } from './dagster-cli.js';

export interface ToolchainPins {
  uv: string;
  python: string;
  dagster: string;
  createDagster: string;
  /** Python module of a component library → the requirement specifiers `uv add` gets for it. */
  integrations: Record<string, string[]>;
  /** The test deployment's environment (webserver, daemon, PostgreSQL storage): scripts/oss-deployment-setup.mjs. */
  deployment?: string[];
}

export class Toolchain {
  readonly pins: ToolchainPins;
  private uvVersion: string | null | undefined;

  constructor(
    readonly repoRoot: string,
    readonly dir: string,
  ) {
    this.pins = JSON.parse(readFileSync(path.join(repoRoot, 'toolchain.json'), 'utf8')) as ToolchainPins;
  }

  /** uv installed by the set-up script under `.toolchain/uv`, or one on PATH. */
  get uvPath(): string {
    const local = path.join(this.dir, 'uv', 'bin', 'uv');
    return existsSync(local) ? local : 'uv';
  }

  get uvCacheDir(): string {
    return path.join(this.dir, 'uv-cache');
  }

  /** The shared environment with every pinned integration library, used for the catalog without a project. */
  get catalogRoot(): string {
    return path.join(this.dir, 'catalog', 'designer_catalog');
  }

  /** The version of the reachable uv, or null when there is none (cached after the first look). */
  async detectUv(): Promise<string | null> {
    if (this.uvVersion !== undefined) return this.uvVersion;
    this.uvVersion = await readUvVersion(this.uvPath);
    return this.uvVersion;
  }

  /** Throws a 503 with a hint when Dagster operations cannot run yet. */
  async assertReady(): Promise<void> {
    if ((await this.detectUv()) === null) {
      throw unavailable(
        'toolchain_not_ready',
        'The Python toolchain (uv) is not installed yet, so Dagster commands cannot run.',
        'Run `npm start` (it installs uv into .toolchain/), or put uv on PATH, then retry.',
      );
    }
  }

  /** Requirement specifiers for a component library module (e.g. dagster_dbt), or null when it is not pinned. */
  requirementsFor(module: string): string[] | null {
    return this.pins.integrations[module] ?? null;
  }

  allIntegrationRequirements(): string[] {
    return Object.values(this.pins.integrations).flat();
  }
}
