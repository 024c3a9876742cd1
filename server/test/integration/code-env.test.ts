// The code editor's and the environment manager's contract on the real toolchain: a starter script edited through
// the files API shows its errors on its node with the line; an env value set in the designer reaches preview and
// run, and leaves through no door: not the ZIP, not a git push, not any API answer.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { makeTestApp, scriptNode, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
let root: string;
const SECRET = 'sk-live-0123456789-never-leaves';
const SCRIPT = 'src/shop_code/defs/extract/extract.py';
const bodies: string[] = [];

beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true });
  await t.app.services.catalogEnv.prepare();
  project = (
    await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Shop code' } })
  ).json();
  await t.app.services.workspaces.settle();
  root = t.app.services.workspaces.requireReady(project.id);
});
afterAll(async () => {
  t?.app.services.inspector.stop();
  await t?.close();
});

async function call(method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object, headers = {}) {
  const res = await t.app.inject({ method, url, payload, headers });
  bodies.push(res.body);
  return res;
}
const api = (p: string) => `/api/projects/${project.id}${p}`;

async function preview() {
  const res = await call('POST', api('/preview'));
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    assets: Array<{ key: string; nodeId?: string; metadata: Record<string, unknown> }>;
    problems: Array<{ nodeId?: string; message: string; file?: string; line?: number; hint?: string }>;
  };
}

async function writeScript(content: string) {
  const { hash } = (await call('GET', api(`/files/${SCRIPT}`))).json();
  const res = await call('PUT', api(`/files/${SCRIPT}`), { content }, { 'if-match': hash });
  expect(res.statusCode, res.body).toBe(200);
}

describe('code editor and env manager on the real toolchain', () => {
  it('writes a starter script that materializes its asset; errors written into it land on its node with the line', async () => {
    const current = (await call('GET', api(''))).json();
    const node = scriptNode('n1', 'extract', 'raw/orders', {
      metadata: { api_token: '{{ env.SHOP_SECRET }}' },
    });
    const saved = await call('PUT', api(''), {
      version: current.version,
      graph: { nodes: [node], edges: [] },
    });
    expect(saved.statusCode, saved.body).toBe(200);

    let p = await preview();
    const starter = (await call('GET', api(`/files/${SCRIPT}`))).json().content as string;
    expect(starter).toContain('open_dagster_pipes');
    expect(starter).toContain('report_asset_materialization');
    expect(p.assets.map((a) => a.key)).toEqual(['raw/orders']);
    // The variable is referenced but not set: a problem on the node, pointing at the Environment panel.
    expect(p.problems).toEqual([
      expect.objectContaining({
        nodeId: 'n1',
        message: 'extract: the environment variable SHOP_SECRET is not set.',
      }),
    ]);

    await writeScript(
      starter.replace(
        'from dagster_pipes import',
        'import pandas_that_is_not_installed\nfrom dagster_pipes import',
      ),
    );
    p = await preview();
    const importProblem = p.problems.find((x) => x.message.includes('pandas_that_is_not_installed'));
    expect(importProblem).toMatchObject({ nodeId: 'n1', file: SCRIPT, line: 6 });
    expect(importProblem?.hint).toContain('uv add');

    await writeScript(`${starter}\ndef broken(:\n    pass\n`);
    p = await preview();
    const lines = starter.split('\n').length;
    expect(p.problems.find((x) => x.message.startsWith('extract: SyntaxError'))).toMatchObject({
      nodeId: 'n1',
      file: SCRIPT,
      line: lines + 1,
    });

    await writeScript(
      starter.replace(
        '    # Your code here: extract, transform, load.',
        // The script holds a digest, not the value: it must not reach the pushed code either.
        `    import hashlib, os\n    seen = hashlib.sha256(os.environ["SHOP_SECRET"].encode()).hexdigest()\n    assert seen == "${createHash('sha256').update(SECRET).digest('hex')}", "not the value set in the designer"`,
      ),
    );
    p = await preview();
    expect(p.problems.filter((x) => x.file === SCRIPT)).toEqual([]);
  });

  it('gives a value set in the environment manager to preview and run, and to no API answer, ZIP or push', async () => {
    const set = await call('PUT', api('/env/SHOP_SECRET'), { value: SECRET });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual([
      expect.objectContaining({
        name: 'SHOP_SECRET',
        set: true,
        source: '.env',
        masked: '••••••es',
        usedBy: ['n1'],
      }),
    ]);
    expect(statSync(path.join(root, '.env')).mode & 0o777).toBe(0o600);
    expect(process.env.SHOP_SECRET).toBeUndefined(); // only the project's own processes get it

    // Preview: Dagster resolved {{ env.SHOP_SECRET }} while loading (the value reached it), and the answer hides it.
    const p = await preview();
    expect(p.problems).toEqual([]);
    expect(p.assets[0]!.metadata.api_token).toBe('***');

    // Run: the script asserts it sees the exact value; SUCCESS proves the run's environment had it.
    const run = await call('POST', api('/runs'), { wait: true, timeoutSeconds: 300 });
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json().status).toBe('SUCCESS');
    const runId = run.json().runId as string;
    await call('GET', `/api/runs/${runId}`);
    await call('GET', `/api/runs/${runId}/logs`);
    await call('GET', api('/runs'));
    await call('GET', api('/env'));
    await call('GET', api('/files'));

    // ZIP: no .env, no value.
    const zip = await t.app.inject({ method: 'GET', url: api('/export.zip') });
    expect(zip.statusCode).toBe(200);
    expect(zip.rawPayload.includes(Buffer.from(SECRET))).toBe(false);
    expect(zip.rawPayload.includes(Buffer.from('.env'))).toBe(false);

    // Git push to a bare repository: no .env, no value in any commit.
    const repos = mkdtempSync(path.join(os.tmpdir(), 'designer-env-git-'));
    try {
      const bare = path.join(repos, 'shop.git');
      execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch', 'main', bare]);
      const push = await call('POST', api('/git/push'), { remote: bare, branch: 'main', message: 'Shop' });
      expect(push.statusCode, push.body).toBe(200);
      const files = execFileSync('git', ['-C', bare, 'ls-tree', '-r', '--name-only', 'main'], {
        encoding: 'utf8',
      });
      expect(files).toContain('src/shop_code/defs/extract/extract.py');
      expect(files.split('\n')).not.toContain('.env');
      expect(execFileSync('git', ['-C', bare, 'log', '-p', '--all'], { encoding: 'utf8' })).not.toContain(
        SECRET,
      );
    } finally {
      rmSync(repos, { recursive: true, force: true });
    }

    for (const body of bodies) expect(body).not.toContain(SECRET);
    expect(readFileSync(path.join(root, '.env'), 'utf8')).toContain(SECRET);
  });
});
