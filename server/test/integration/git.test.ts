// Git hand-over against real git: a local bare repository, and an authenticated smart-HTTP server.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphNode, ProjectFile } from '@designer/shared';
import { startGitHttpServer, type GitHttpServer } from '../git-http-server.js';
import { allText, makeTestApp, pushAsSomeoneElse, type TestApp } from '../helpers.js';

const TOKEN = 'ghp_TestToken_Zq81xYz0NeverPersist';
let t: TestApp;
let project: ProjectFile;
let http: GitHttpServer;
const repos = mkdtempSync(path.join(os.tmpdir(), 'designer-git-'));
const logLines: string[] = [];

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8' });

beforeAll(async () => {
  // npm sets EDITOR; a PAGER or GIT_* variable may be set too. None of them may reach the designer's git.
  process.env.EDITOR = 'vi';
  process.env.PAGER = 'less';
  // Capture everything the server logs, to prove the token never reaches it.
  const logStream = new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) });
  t = await makeTestApp({ createWorkspaces: true, logLevel: 'debug' }, { level: 'debug', stream: logStream });
  await t.app.services.catalogEnv.prepare();
  project = (
    await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Shop git' } })
  ).json();
  await t.app.services.workspaces.settle();
  for (const name of ['local.git', 'http.git'])
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch', 'main', path.join(repos, name)]);
  http = await startGitHttpServer(repos, 'designer', TOKEN);
});
afterAll(async () => {
  await http?.close();
  await t?.close();
  rmSync(repos, { recursive: true, force: true });
});

const node = (description: string): GraphNode => ({
  id: 'a',
  type: 'component',
  position: { x: 0, y: 0 },
  data: {
    label: 'extract',
    component_type: 'dagster.PythonScriptComponent',
    attributes: { assets: [{ key: 'raw/orders', description }], execution: { path: 'extract.py' } },
  },
});

async function saveGraph(description: string): Promise<void> {
  const current = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}` })).json();
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: { version: current.version, graph: { nodes: [node(description)], edges: [] } },
  });
  expect(res.statusCode).toBe(200);
}

const post = (url: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/projects/${project.id}${url}`, payload });

describe('git hand-over', () => {
  it('pushes to a local bare repository, creating the branch, after showing the diff', async () => {
    await saveGraph('Raw orders');
    const remote = path.join(repos, 'local.git');
    const diff = (await post('/git/diff', { remote, branch: 'designer/shop' })).json();
    expect(diff.base).toBeNull();
    expect(diff.files).toEqual(
      expect.arrayContaining([
        { path: 'pyproject.toml', status: 'added' },
        { path: 'src/shop_git/defs/extract/defs.yaml', status: 'added' },
      ]),
    );
    expect(diff.diff).toContain('+    - key: raw/orders');

    const push = (
      await post('/git/push', {
        remote,
        branch: 'designer/shop',
        authorName: 'Ada',
        authorEmail: 'ada@example.com',
      })
    ).json();
    expect(push).toMatchObject({
      created: true,
      branch: 'designer/shop',
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(git(remote, 'log', '--format=%an <%ae> %s', 'designer/shop').trim()).toMatch(
      /^Ada <ada@example.com> Update Shop git from Dagster Designer \(\d+ added\)$/,
    );
    const tree = git(remote, 'ls-tree', '-r', '--name-only', 'designer/shop');
    expect(tree).toContain('src/shop_git/defs/extract/defs.yaml');
    expect(tree).not.toMatch(/\.venv|\.designer|\.env/);

    const again = (await post('/git/push', { remote, branch: 'designer/shop' })).json();
    expect(again).toMatchObject({ commit: null, files: [] });
  });

  it('pushes over authenticated HTTP with the right token, refuses a wrong one clearly, and never keeps the token', async () => {
    const remote = `${http.url}/http.git`;
    const wrong = await post('/git/push', {
      remote,
      branch: 'main',
      token: 'wrong-token-value',
      username: 'designer',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toMatchObject({ code: 'git_auth_failed' });
    expect(wrong.body).not.toContain('wrong-token-value');
    expect(http.attempts.refused).toBeGreaterThan(0);

    const ok = await post('/git/push', { remote, branch: 'main', token: TOKEN, username: 'designer' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().created).toBe(true);
    const bare = path.join(repos, 'http.git');
    expect(git(bare, 'ls-tree', '-r', '--name-only', 'main')).toContain(
      'src/shop_git/defs/extract/defs.yaml',
    );

    // One changed attribute → a one-file commit. The token is remembered for the session (memory only).
    await saveGraph('Raw orders from the shop API');
    const second = await post('/git/push', { remote, branch: 'main', username: 'designer' });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().files).toEqual([
      { path: 'src/shop_git/defs/extract/defs.yaml', status: 'modified' },
    ]);
    expect(git(bare, 'show', '--stat', '--format=', 'main').trim().split('\n')).toHaveLength(2);

    // The token is nowhere on disk (project, workspace, git work trees, bare repos), in any commit or in the log.
    expect(allText(t.dataDir)).not.toContain(TOKEN);
    expect(allText(repos)).not.toContain(TOKEN);
    expect(git(bare, 'log', '-p', '--all')).not.toContain(TOKEN);
    expect(logLines.join('')).not.toContain(TOKEN);
    const workConfig = readFileSync(path.join(t.dataDir, '.git-work', project.id, '.git', 'config'), 'utf8');
    expect(workConfig).toContain(remote);
    expect(workConfig).not.toContain('designer@');

    // Forgetting the token: the next push has none and is refused.
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/projects/${project.id}/git/token` })).statusCode,
    ).toBe(204);
    await saveGraph('Changed once more');
    expect((await post('/git/push', { remote, branch: 'main', username: 'designer' })).statusCode).toBe(401);
  });

  it('builds on what others pushed to the branch, and keeps the files it does not manage', async () => {
    const remote = path.join(repos, 'local.git');
    // Someone else pushes notes to the branch after the designer's last push.
    pushAsSomeoneElse(remote, 'designer/shop', 'notes', (clone) =>
      writeFileSync(path.join(clone, 'NOTES.md'), 'by hand\n'),
    );
    // The designer builds on the current remote head (never forcing), so the push fast-forwards and NOTES.md stays.
    await saveGraph('After someone else pushed');
    const push = (await post('/git/push', { remote, branch: 'designer/shop' })).json();
    expect(push.files).toEqual([{ path: 'src/shop_git/defs/extract/defs.yaml', status: 'modified' }]);
    expect(git(remote, 'log', '--format=%s', 'designer/shop').split('\n')[1]).toBe('notes');
    expect(git(remote, 'show', 'designer/shop:NOTES.md')).toBe('by hand\n');
  });

  it('never writes outside its work tree when the branch holds a link out (src → an outside folder)', async () => {
    const remote = path.join(repos, 'local.git');
    const outside = mkdtempSync(path.join(os.tmpdir(), 'designer-outside-'));
    writeFileSync(path.join(outside, 'keep.txt'), 'mine\n');
    // A hostile branch: `src` is a link to a folder outside any work tree.
    pushAsSomeoneElse(remote, 'designer/shop', 'link', (clone) => {
      rmSync(path.join(clone, 'src'), { recursive: true, force: true });
      symlinkSync(outside, path.join(clone, 'src'));
    });
    const before = readdirSync(outside, { recursive: true }).sort();
    await saveGraph('After a hostile push');
    const diff = await post('/git/diff', { remote, branch: 'designer/shop' });
    expect(diff.statusCode).toBe(200);
    const push = await post('/git/push', { remote, branch: 'designer/shop' });
    expect(push.statusCode).toBe(200);
    // Nothing was removed from or written into the outside folder; the branch holds real files again.
    expect(readdirSync(outside, { recursive: true }).sort()).toEqual(before);
    expect(readFileSync(path.join(outside, 'keep.txt'), 'utf8')).toBe('mine\n');
    expect(git(remote, 'show', 'designer/shop:src/shop_git/defs/extract/defs.yaml')).toContain(
      'After a hostile push',
    );
    rmSync(outside, { recursive: true, force: true });
  });

  it.each([
    [{ remote: '--upload-pack=touch /tmp/pwned', branch: 'main' }, 'invalid_remote'],
    [{ remote: 'ext::sh -c touch% /tmp/pwned', branch: 'main' }, 'invalid_remote'],
    [{ remote: 'https://user:pw@example.com/x.git', branch: 'main' }, 'invalid_remote'],
    [{ remote: '/tmp/x.git', branch: '--force' }, 'invalid_branch'],
    [{ remote: '/tmp/x.git', branch: 'a..b' }, 'invalid_branch'],
  ])('refuses %j', async (body, code) => {
    const res = await post('/git/diff', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(code);
  });
});
