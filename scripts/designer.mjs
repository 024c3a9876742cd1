#!/usr/bin/env node
// The two commands of the README. `npm start`: set up what is missing, build the web app, serve the
// designer. `npm test`: the same set-up (plus Chromium), then every test. Idempotent and cached:
// pnpm, uv and the uv cache live in .toolchain/, so a second run only checks.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeploymentEnv, ensurePostgres } from './oss-deployment-setup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const toolchainDir = path.join(root, '.toolchain');
const pins = JSON.parse(readFileSync(path.join(root, 'toolchain.json'), 'utf8'));
const PNPM_VERSION = '10.34.8';
const mode = process.argv[2] ?? 'start';

function step(label) {
  const started = Date.now();
  process.stdout.write(`[setup] ${label}…\n`);
  return () =>
    process.stdout.write(`[setup] ${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

function run(file, args, options = {}) {
  const result = spawnSync(file, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw new Error(`could not run ${file}: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${path.basename(file)} ${args.join(' ')} exited with ${result.status}`);
  return result;
}

function capture(file, args) {
  const result = spawnSync(file, args, { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

function ensurePnpm() {
  const local = path.join(toolchainDir, 'pnpm', 'node_modules', '.bin', 'pnpm');
  if (existsSync(local) && capture(local, ['--version']) === PNPM_VERSION) return local;
  const done = step(`installing pnpm ${PNPM_VERSION} into .toolchain/pnpm`);
  mkdirSync(path.join(toolchainDir, 'pnpm'), { recursive: true });
  run('npm', [
    'install',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    '--prefix',
    path.join(toolchainDir, 'pnpm'),
    `pnpm@${PNPM_VERSION}`,
  ]);
  done();
  return local;
}

function ensureNodeModules(pnpm) {
  const marker = path.join(root, 'node_modules', '.modules.yaml');
  const lock = path.join(root, 'pnpm-lock.yaml');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  const done = step('installing node modules');
  run(pnpm, ['install', '--frozen-lockfile', '--reporter=append-only'], {
    env: { ...process.env, npm_config_store_dir: path.join(toolchainDir, 'pnpm-store') },
  });
  done();
}

function ensureUv() {
  const uv = path.join(toolchainDir, 'uv', 'bin', 'uv');
  if (existsSync(uv) && capture(uv, ['--version'])?.startsWith(`uv ${pins.uv}`)) return;
  const python = capture('python3', ['--version']) ? 'python3' : 'python';
  const done = step(`installing uv ${pins.uv} into .toolchain/uv`);
  run(
    python,
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-warn-script-location',
      '--upgrade',
      '--target',
      path.join(toolchainDir, 'uv'),
      `uv==${pins.uv}`,
    ],
    {
      env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' },
    },
  );
  done();
}

/** Debian's Chromium for the end-to-end tests and the canvas benchmark. */
function ensureChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  );
  if (candidates.some((c) => existsSync(c))) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'Chromium is missing. Install it (Debian: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH.',
    );
  }
  const done = step('installing Chromium with apt-get');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  done();
}

function buildWeb(pnpm) {
  const done = step('building the web app');
  run(pnpm, ['--filter', '@designer/web', 'build']);
  done();
}

const tsx = () => path.join(root, 'node_modules', '.bin', 'tsx');

/** The newest modification time of the TypeScript sources and build configs among `dirs` (files or folders). */
function newestSource(dirs) {
  let newest = 0;
  const walk = (file) => {
    if (!existsSync(file)) return;
    if (!statSync(file).isDirectory()) newest = Math.max(newest, statSync(file).mtimeMs);
    else
      for (const entry of readdirSync(file))
        if (/\.(ts|json)$|^[^.]+$/.test(entry)) walk(path.join(file, entry));
  };
  for (const dir of dirs) walk(dir);
  return newest;
}

/**
 * `npm start` runs compiled JavaScript with plain `node`, not the tsx loader (less memory, faster start):
 * shared/dist and server/dist, rebuilt only when a source is newer than the last build. The compiled server
 * finds the compiled shared package through the `designer-built` export condition.
 */
function buildServer() {
  const stamp = path.join(root, 'server', 'dist', '.built');
  const sources = newestSource([
    path.join(root, 'shared', 'src'),
    path.join(root, 'server', 'src'),
    path.join(root, 'shared', 'tsconfig.build.json'),
    path.join(root, 'server', 'tsconfig.build.json'),
    path.join(root, 'tsconfig.base.json'),
  ]);
  if (existsSync(stamp) && Number(readFileSync(stamp, 'utf8')) >= sources) return;
  const done = step('compiling the server');
  for (const project of ['shared', 'server']) {
    rmSync(path.join(root, project, 'dist'), { recursive: true, force: true });
    run(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', path.join(project, 'tsconfig.build.json')]);
  }
  writeFileSync(stamp, String(sources));
  done();
}

/** Creates the shared catalog environment (create-dagster + every pinned component library). */
function prepareToolchain() {
  const done = step('preparing the Dagster catalog environment (cached in .toolchain/catalog)');
  run(tsx(), [path.join(root, 'server', 'src', 'prepare-toolchain.ts')]);
  done();
}

function exec(file, args, env = {}) {
  const child = spawn(file, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

try {
  const pnpm = ensurePnpm();
  ensureNodeModules(pnpm);
  ensureUv();
  if (mode === 'test' || mode === 'bench') ensureChromium();
  buildWeb(pnpm);
  mkdirSync(process.env.DESIGNER_DATA_DIR ?? path.join(root, 'projects'), { recursive: true });
  if (mode === 'start') {
    buildServer();
    exec(process.execPath, ['--conditions=designer-built', path.join(root, 'server', 'dist', 'main.js')]);
  } else if (mode === 'test') {
    const checks = step('type-checking and linting');
    for (const project of ['shared', 'server', 'web', 'bench'])
      run(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', project]);
    run(path.join(root, 'node_modules', '.bin', 'eslint'), ['.', '--max-warnings=0']);
    checks();
    prepareToolchain();
    // The deployment tests' Dagster OSS (PostgreSQL, webserver, daemon): only tests need it, not `npm start`.
    const deployment = step('checking PostgreSQL and the Dagster OSS deployment environment');
    ensurePostgres();
    ensureDeploymentEnv(toolchainDir);
    deployment();
    exec(path.join(root, 'node_modules', '.bin', 'vitest'), ['run', ...process.argv.slice(3)], {
      DESIGNER_LOG_LEVEL: 'warn',
    });
  } else if (mode === 'bench') {
    buildServer(); // the memory benchmark measures the server as `npm start` runs it
    prepareToolchain();
    exec(tsx(), [path.join(root, 'bench', 'run.ts'), ...process.argv.slice(3)]);
  } else if (mode === 'setup') {
    buildServer();
    prepareToolchain();
  } else {
    throw new Error(`unknown mode "${mode}" (start, test, bench, setup)`);
  }
} catch (error) {
  process.stderr.write(`[setup] failed: ${error.message}\n`);
  process.exit(1);
}
