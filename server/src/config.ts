// Runtime configuration from the environment, resolved once.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Config {
  host: string;
  port: number;
  repoRoot: string;
  dataDir: string;
  toolchainDir: string;
  webDist: string;
  token?: string;
  logLevel: string;
  /** Whether the shared catalog environment is prepared at start-up. */
  prepareCatalog: boolean;
  /** Whether creating a project also creates its Dagster workspace (off in API-only tests). */
  createWorkspaces: boolean;
  /** Seconds a project's warm preview process is kept without a preview, run or edit. */
  previewIdleSeconds: number;
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The designer's own Python scripts (server/python/), run with a project's interpreter. */
export const pythonScript = (name: string) => path.join(REPO_ROOT, 'server', 'python', name);

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
export const isLoopback = (host: string) => LOOPBACK.has(host) || host.startsWith('127.');

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = Number(env.DESIGNER_PORT ?? 4780);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`DESIGNER_PORT must be a port number, got "${env.DESIGNER_PORT}".`);
  }
  const previewIdleSeconds = Number(env.DESIGNER_PREVIEW_IDLE_SECONDS ?? 90);
  if (!Number.isFinite(previewIdleSeconds) || previewIdleSeconds <= 0) {
    throw new Error(
      `DESIGNER_PREVIEW_IDLE_SECONDS must be a number of seconds above 0, got "${env.DESIGNER_PREVIEW_IDLE_SECONDS}".`,
    );
  }
  const config: Config = {
    host: env.DESIGNER_HOST ?? '127.0.0.1',
    port,
    repoRoot: REPO_ROOT,
    dataDir: path.resolve(env.DESIGNER_DATA_DIR ?? path.join(REPO_ROOT, 'projects')),
    toolchainDir: path.resolve(env.DESIGNER_TOOLCHAIN_DIR ?? path.join(REPO_ROOT, '.toolchain')),
    webDist: path.join(REPO_ROOT, 'web', 'dist'),
    token: env.DESIGNER_TOKEN || undefined,
    logLevel: env.DESIGNER_LOG_LEVEL ?? 'info',
    prepareCatalog: env.DESIGNER_PREPARE_CATALOG !== '0',
    createWorkspaces: env.DESIGNER_CREATE_WORKSPACES !== '0',
    previewIdleSeconds,
    ...overrides,
  };
  if (!isLoopback(config.host) && !config.token) {
    throw new Error(
      `Refusing to listen on ${config.host} without DESIGNER_TOKEN: anyone on the network could drive this machine's tools. Set DESIGNER_TOKEN or bind to 127.0.0.1.`,
    );
  }
  return config;
}
