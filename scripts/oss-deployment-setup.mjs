// Set-up for the tests' Dagster OSS deployment (server/test/support/oss-deployment.ts): Debian's PostgreSQL,
// installed when missing (root, apt-get, non-interactive), and the deployment's Python environment in
// .toolchain/deployment (pinned in toolchain.json under "deployment", rebuilt only when those pins change).
// Used by `npm test`'s set-up (scripts/designer.mjs); runnable alone: `node scripts/oss-deployment-setup.mjs`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The folder of PostgreSQL's `initdb` and `pg_ctl`: the newest of Debian's packages
 * (/usr/lib/postgresql/<version>/bin), else one on the PATH (another distribution's, or a CI image's); or null.
 */
export function findPostgresBin() {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => /^\d+$/.test(v) && existsSync(path.join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return path.join(base, versions[0], 'bin');
  }
  const onPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')));
  return onPath ?? null;
}

function run(file, args, options = {}) {
  const result = spawnSync(file, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) throw new Error(`could not run ${file}: ${result.error.message}`);
  return result.status === 0;
}

const quiet = (file, args) => spawnSync(file, args, { stdio: 'ignore' }).status === 0;

const MANUAL =
  'Install it yourself (Debian/Ubuntu: `sudo apt-get install -y postgresql`; elsewhere put `initdb` and `pg_ctl` on the PATH), then run `node scripts/oss-deployment-setup.mjs` again.';

/**
 * Debian's `postgresql` package: nothing to do when an initdb is there; otherwise apt-get, as root or through
 * `sudo -n` (a CI runner's passwordless sudo), never asking anything (no stdin in CI). Safe to run again.
 */
export function ensurePostgres(log = (line) => process.stdout.write(`${line}\n`)) {
  if (findPostgresBin()) return;
  const asRoot = process.getuid?.() === 0;
  const sudo = !asRoot && quiet('sudo', ['-n', 'true']);
  if (!asRoot && !sudo)
    throw new Error(
      `PostgreSQL is missing (the deployment tests run a real one), and this user may not install packages. ${MANUAL}`,
    );
  if (!quiet('apt-get', ['--version']))
    throw new Error(`PostgreSQL is missing, and this machine has no apt-get to install it. ${MANUAL}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // sudo drops the environment: DEBIAN_FRONTEND goes as an argument of env.
  const apt = (...args) =>
    sudo
      ? run('sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args])
      : run('apt-get', args, { env });
  // Waits for another apt (a fresh image's unattended upgrades) instead of failing on its lock.
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  const install = () => apt(...lock, 'install', '-y', '-qq', '--no-install-recommends', 'postgresql');
  log(`[setup] installing PostgreSQL with apt-get${sudo ? ' (sudo)' : ''}`);
  // A fresh machine has no package lists yet: update only when the install cannot find the package. A package
  // whose own cluster could not start (a container without an init) fails its set-up, yet its initdb is there:
  // the tests start a server of their own, so that is enough.
  if (!install() && !findPostgresBin() && !(apt(...lock, 'update', '-qq') && install()) && !findPostgresBin())
    throw new Error(`apt-get could not install postgresql (its output is above). ${MANUAL}`);
  if (!findPostgresBin())
    throw new Error(
      `postgresql was installed, but no initdb is under /usr/lib/postgresql/<version>/bin or on the PATH. ${MANUAL}`,
    );
}

/** Where the deployment environment lives, and the `dagster` program in it. */
export function deploymentEnvPaths(toolchainDir = path.join(root, '.toolchain')) {
  const dir = path.join(toolchainDir, 'deployment');
  const venv = path.join(dir, '.venv');
  return { dir, venv, bin: path.join(venv, 'bin'), marker: path.join(dir, '.ready') };
}

/** What the environment is built from: the deployment pins plus every integration (a code server loads any project). */
export function deploymentRequirements(pins) {
  return [...pins.deployment, ...Object.values(pins.integrations).flat()];
}

function pinsHash(pins) {
  return createHash('sha256')
    .update(JSON.stringify({ python: pins.python, requirements: deploymentRequirements(pins) }))
    .digest('hex')
    .slice(0, 16);
}

export function deploymentEnvReady(toolchainDir) {
  const pins = JSON.parse(readFileSync(path.join(root, 'toolchain.json'), 'utf8'));
  const { marker, bin } = deploymentEnvPaths(toolchainDir);
  return (
    existsSync(marker) &&
    readFileSync(marker, 'utf8').trim() === pinsHash(pins) &&
    existsSync(path.join(bin, 'dagster-webserver'))
  );
}

/** The deployment's Python environment, made with the pinned uv from the shared uv cache; idempotent. */
export function ensureDeploymentEnv(
  toolchainDir = path.join(root, '.toolchain'),
  log = (line) => process.stdout.write(`${line}\n`),
) {
  const pins = JSON.parse(readFileSync(path.join(root, 'toolchain.json'), 'utf8'));
  if (deploymentEnvReady(toolchainDir)) return;
  const { dir, venv, marker } = deploymentEnvPaths(toolchainDir);
  const uv = path.join(toolchainDir, 'uv', 'bin', 'uv');
  const uvPath = existsSync(uv) ? uv : 'uv';
  const env = {
    ...process.env,
    UV_CACHE_DIR: path.join(toolchainDir, 'uv-cache'),
    UV_PYTHON_DOWNLOADS: 'never',
    UV_NO_PROGRESS: '1',
  };
  log('[setup] creating the Dagster OSS deployment environment in .toolchain/deployment');
  rmSync(dir, { recursive: true, force: true });
  if (!run(uvPath, ['venv', '--quiet', '--python', pins.python, venv], { env }))
    throw new Error('uv venv failed for the deployment environment');
  const args = ['pip', 'install', '--quiet', '--python', path.join(venv, 'bin', 'python')];
  if (!run(uvPath, [...args, ...deploymentRequirements(pins)], { env }))
    throw new Error('uv pip install failed for the deployment environment (is PyPI reachable?)');
  writeFileSync(marker, `${pinsHash(pins)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensurePostgres();
    ensureDeploymentEnv();
    console.log('[setup] Dagster OSS deployment set-up is ready');
  } catch (error) {
    console.error(`[setup] ${error.message}`);
    process.exit(1);
  }
}
