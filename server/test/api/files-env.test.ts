// Files and env routes on a workspace folder laid out like create-dagster's (no toolchain needed): the path rules,
// If-Match, size limits, atomic writes, and the rule that an env value never comes back through the API.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { makeTestApp, scriptNode, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
let root: string;
let outside: string;
const SECRET = 'pa55-w0rd-that-must-stay-here';

beforeEach(async () => {
  t = await makeTestApp();
  project = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Shop' } })).json();
  root = t.app.services.projects.workspaceOf(project.id);
  mkdirSync(path.join(root, '.venv', 'bin'), { recursive: true });
  writeFileSync(path.join(root, '.venv', 'bin', 'dg'), '');
  writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "shop"\n');
  mkdirSync(path.join(root, 'src', 'shop', 'defs', 'extract'), { recursive: true });
  writeFileSync(path.join(root, 'src', 'shop', 'defs', 'extract', 'defs.yaml'), 'type: x\n');
  writeFileSync(path.join(root, 'src', 'shop', 'defs', 'extract', 'extract.py'), 'print("v1")\n');
  mkdirSync(path.join(root, '.git'));
  writeFileSync(path.join(root, '.git', 'config'), '[core]\n');
  outside = path.join(os.tmpdir(), `designer-outside-${process.pid}-${Date.now()}`);
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'victim.py'), 'untouched\n');
  symlinkSync(outside, path.join(root, 'link'));
  const current = (await t.app.inject({ url: `/api/projects/${project.id}` })).json();
  const node = scriptNode('n1', 'extract', 'raw/orders', {
    metadata: { token: '{{ env.SHOP_TOKEN }}' },
  });
  const saved = await t.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: {
      version: current.version,
      graph: { nodes: [node], edges: [] },
      env: [{ name: 'WAREHOUSE_PATH', description: 'Where DuckDB writes', required: false }],
    },
  });
  expect(saved.statusCode, saved.body).toBe(200);
});
afterEach(async () => {
  t.app.services.sync.stopTimers();
  await t.close();
});

const file = (p: string) => `/api/projects/${project.id}/files/${p}`;
const SCRIPT = 'src/shop/defs/extract/extract.py';

describe('files API', () => {
  it('reads a file with its hash, and writes it only with that hash (atomic, no temp file left)', async () => {
    const read = await t.app.inject({ url: file(SCRIPT) });
    expect(read.statusCode).toBe(200);
    const { hash, content } = read.json();
    expect(content).toBe('print("v1")\n');
    expect(read.headers.etag).toBe(`"${hash}"`);

    const noHash = await t.app.inject({ method: 'PUT', url: file(SCRIPT), payload: { content: 'x = 1\n' } });
    expect(noHash.statusCode).toBe(428);
    const stale = await t.app.inject({
      method: 'PUT',
      url: file(SCRIPT),
      headers: { 'if-match': '"0000"' },
      payload: { content: 'x = 1\n' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'file_changed', details: { hash } });
    expect(readFileSync(path.join(root, SCRIPT), 'utf8')).toBe('print("v1")\n');

    const ok = await t.app.inject({
      method: 'PUT',
      url: file(SCRIPT),
      headers: { 'if-match': `"${hash}"` },
      payload: { content: 'print("v2")\n' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ path: SCRIPT, created: false, size: 12 });
    expect(ok.json().hash).not.toBe(hash);
    expect(readFileSync(path.join(root, SCRIPT), 'utf8')).toBe('print("v2")\n');
    expect(readdirSync(path.dirname(path.join(root, SCRIPT))).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // The old hash is stale now: a second tab that still holds it gets 409.
    const second = await t.app.inject({
      method: 'PUT',
      url: file(SCRIPT),
      headers: { 'if-match': hash },
      payload: { content: 'lost update\n' },
    });
    expect(second.statusCode).toBe(409);
  });

  it('creates a new file (and its folder) without If-Match', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: file('src/shop/lib/helpers.py'),
      payload: { content: 'def double(x):\n    return 2 * x\n' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().created).toBe(true);
    expect(readFileSync(path.join(root, 'src/shop/lib/helpers.py'), 'utf8')).toContain('double');
  });

  it('refuses traversal, absolute paths, links out, environments, Git data, Dagster home and secrets', async () => {
    const before = readFileSync(path.join(outside, 'victim.py'), 'utf8');
    for (const bad of [
      '..%2F..%2Fescaped.py',
      '%2Fetc%2Fpasswd',
      'src/..%2F..%2F..%2Fx.py',
      'link/victim.py',
      'link/new.py',
      '.venv/bin/dg',
      '.venv/lib/x.py',
      '.git/config',
      '.git/hooks/pre-commit',
      '.dagster_home/dagster.yaml',
      'DAGSTER_HOME/dagster.yaml',
      '.env',
      '.env.local',
      '.designer/state.json',
      '-rf',
    ]) {
      const res = await t.app.inject({
        method: 'PUT',
        url: file(bad),
        headers: { 'if-match': '*' },
        payload: { content: 'pwned = True\n' },
      });
      expect([400, 404], `${bad}: ${res.body}`).toContain(res.statusCode);
      expect(res.json().error.message, bad).toBeTruthy();
    }
    expect(readFileSync(path.join(outside, 'victim.py'), 'utf8')).toBe(before);
    expect(existsSync(path.join(outside, 'new.py'))).toBe(false);
    expect(readFileSync(path.join(root, '.git', 'config'), 'utf8')).toBe('[core]\n');
    expect(readFileSync(path.join(root, '.venv', 'bin', 'dg'), 'utf8')).toBe('');
    expect(existsSync(path.join(root, '.env'))).toBe(false);
  });

  it('refuses content over 1 MiB with 413 and leaves the file as it was', async () => {
    const { hash } = (await t.app.inject({ url: file(SCRIPT) })).json();
    const big = await t.app.inject({
      method: 'PUT',
      url: file(SCRIPT),
      headers: { 'if-match': hash },
      payload: { content: `# ${'x'.repeat(1024 * 1024)}\n` },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('file_too_large');
    const huge = await t.app.inject({
      method: 'PUT',
      url: file(SCRIPT),
      headers: { 'if-match': hash },
      payload: { content: 'y'.repeat(5 * 1024 * 1024) },
    });
    expect(huge.statusCode).toBe(413);
    expect(readFileSync(path.join(root, SCRIPT), 'utf8')).toBe('print("v1")\n');
  });

  it("sends a managed node's defs.yaml to the node's YAML view", async () => {
    const list = (await t.app.inject({ url: `/api/projects/${project.id}/files` })).json();
    expect(list.find((f: { path: string }) => f.path === 'src/shop/defs/extract/defs.yaml')).toMatchObject({
      managedBy: 'n1',
    });
    const res = await t.app.inject({
      method: 'PUT',
      url: file('src/shop/defs/extract/defs.yaml'),
      headers: { 'if-match': '*' },
      payload: { content: 'type: y\n' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'managed_file', details: { nodeId: 'n1' } });
    expect(readFileSync(path.join(root, 'src/shop/defs/extract/defs.yaml'), 'utf8')).toBe('type: x\n');
  });
});

describe('env API', () => {
  const env = () => `/api/projects/${project.id}/env`;

  it('lists referenced and declared variables, stores a value in .env (0600) and never returns it', async () => {
    const listed = (await t.app.inject({ url: env() })).json();
    expect(listed).toEqual([
      { name: 'SHOP_TOKEN', required: true, usedBy: ['n1'], set: false, source: null, masked: null },
      {
        name: 'WAREHOUSE_PATH',
        description: 'Where DuckDB writes',
        required: false,
        usedBy: [],
        set: false,
        source: null,
        masked: null,
      },
    ]);
    writeFileSync(path.join(root, '.env'), '# kept comment\nOTHER=1\n');
    const set = await t.app.inject({ method: 'PUT', url: `${env()}/SHOP_TOKEN`, payload: { value: SECRET } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.body).not.toContain(SECRET);
    expect(set.body).not.toContain(SECRET.slice(0, -2));
    const token = set.json().find((e: { name: string }) => e.name === 'SHOP_TOKEN');
    expect(token).toMatchObject({ set: true, source: '.env', masked: '••••••re' });
    const text = readFileSync(path.join(root, '.env'), 'utf8');
    expect(text).toBe(`# kept comment\nOTHER=1\nSHOP_TOKEN="${SECRET}"\n`);
    expect(statSync(path.join(root, '.env')).mode & 0o777).toBe(0o600);

    for (const url of [env(), `/api/projects/${project.id}/files`, `/api/projects/${project.id}`]) {
      const res = await t.app.inject({ url });
      expect(res.body, url).not.toContain(SECRET);
    }
    expect((await t.app.inject({ url: file('.env') })).statusCode).toBe(400);

    const removed = await t.app.inject({ method: 'DELETE', url: `${env()}/SHOP_TOKEN` });
    expect(removed.json().find((e: { name: string }) => e.name === 'SHOP_TOKEN')).toMatchObject({
      set: false,
    });
    expect(readFileSync(path.join(root, '.env'), 'utf8')).toBe('# kept comment\nOTHER=1\n');
  });

  it('masks short values completely and keeps values with quotes, newlines and # intact', async () => {
    await t.app.inject({ method: 'PUT', url: `${env()}/WAREHOUSE_PATH`, payload: { value: 'abc' } });
    const value = 'line "one" # not a comment\nline \\two';
    await t.app.inject({ method: 'PUT', url: `${env()}/SHOP_TOKEN`, payload: { value } });
    const listed = (await t.app.inject({ url: env() })).json();
    expect(listed.find((e: { name: string }) => e.name === 'WAREHOUSE_PATH').masked).toBe('••••');
    expect(await t.app.services.env.values(root)).toEqual({ WAREHOUSE_PATH: 'abc', SHOP_TOKEN: value });
  });

  it('refuses bad names and oversize values with 400/413, leaving .env untouched', async () => {
    for (const name of ['1ABC', 'A-B', 'A%20B', 'x'.repeat(129)]) {
      const res = await t.app.inject({ method: 'PUT', url: `${env()}/${name}`, payload: { value: 'v' } });
      expect([400, 414], name).toContain(res.statusCode); // 414: longer than a route parameter may be
    }
    const big = await t.app.inject({
      method: 'PUT',
      url: `${env()}/SHOP_TOKEN`,
      payload: { value: 'v'.repeat(40 * 1024) },
    });
    expect(big.statusCode).toBe(400);
    expect(existsSync(path.join(root, '.env'))).toBe(false);
  });
});
