import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../config.js';
import { DagsterCli } from './dagster-cli.js';
import { Toolchain } from './toolchain.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dagster-cli-'));
const cli = new DagsterCli(new Toolchain(REPO_ROOT, dir));
afterEach(() => vi.unstubAllEnvs());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the environment of the tools the designer runs', () => {
  it.each([
    ['VIRTUAL_ENV', '/elsewhere/.venv', 'another environment would be used instead of the project’s'],
    ['PYTHONPATH', '/elsewhere', 'the designer’s own modules would shadow the project’s'],
    ['PYTHONHOME', '/usr', 'another interpreter’s standard library'],
    ['CONDA_PREFIX', '/opt/conda', 'another environment'],
    ['DESIGNER_TOKEN', 'secret-token', 'the server’s access token must not reach a user’s code'],
    ['PYTHONDONTWRITEBYTECODE', '1', 'every process would compile dagster from source again'],
  ])('drops %s (%s): %s', (name, value) => {
    vi.stubEnv(name, value);
    expect(cli.toolEnv()).not.toHaveProperty(name);
  });

  it('keeps the rest of the environment, and what the caller adds wins', () => {
    vi.stubEnv('DESIGNER_TEST_KEPT', 'kept');
    const env = cli.toolEnv({ NO_COLOR: '0', EXTRA: 'x' });
    expect(env).toMatchObject({
      DESIGNER_TEST_KEPT: 'kept',
      NO_COLOR: '0',
      EXTRA: 'x',
      UV_PYTHON_DOWNLOADS: 'never',
    });
  });

  it('uses the project’s uv cache unless one is set', () => {
    vi.stubEnv('UV_CACHE_DIR', undefined);
    expect(cli.toolEnv().UV_CACHE_DIR).toBe(path.join(dir, 'uv-cache'));
    vi.stubEnv('UV_CACHE_DIR', '/cache/uv');
    expect(cli.toolEnv().UV_CACHE_DIR).toBe('/cache/uv');
  });
});
