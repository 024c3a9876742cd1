// Token audit (issue 14): after pushes and diffs with a token over an authenticated `git http-backend`, the token
// is nowhere: not in the data folder, the server's log, any API answer, the ZIP export or the pushed history; and
// a diff against another remote (with no token given) never receives it, nor does a host a remote redirects to.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { startGitHttpServer, type GitHttpServer } from '../git-http-server.js';
import { allText, makeTestApp, scriptNode, type TestApp } from '../helpers.js';

const TOKEN = 'ghp_AuditToken_7Qw3NeverAnywhere';
const USER = 'designer';
let t: TestApp;
let project: ProjectFile;
let server: GitHttpServer;
const repos = mkdtempSync(path.join(os.tmpdir(), 'designer-audit-'));
const logLines: string[] = [];
const answers: string[] = [];

/** A remote that records the Authorization header of every request and asks for credentials (401). */
interface Recorder {
  url: string;
  seen: string[];
  close: () => Promise<void>;
}
async function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const s = http.createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => s.close(() => resolve())),
  };
}
async function startRecorder(): Promise<Recorder> {
  const seen: string[] = [];
  const s = await listen((req, res) => {
    seen.push(String(req.headers.authorization ?? ''));
    req.resume();
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="other"' }).end('who are you?');
  });
  return { ...s, seen };
}
let other: Recorder;
let redirector: { url: string; close: () => Promise<void> };

const decoded = (header: string) =>
  header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : header;

async function call(options: InjectOptions) {
  const res = await t.app.inject(options);
  answers.push(res.rawPayload.toString('latin1'), JSON.stringify(res.headers));
  return res;
}
const post = (url: string, payload: object) =>
  call({ method: 'POST', url: `/api/projects/${project.id}${url}`, payload });

async function save(description: string): Promise<void> {
  const current = (await call({ method: 'GET', url: `/api/projects/${project.id}` })).json();
  const res = await call({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: {
      version: current.version,
      graph: { nodes: [scriptNode('a', 'extract', 'raw/orders', { description })], edges: [] },
    },
  });
  expect(res.statusCode, res.body).toBe(200);
}

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

beforeAll(async () => {
  const logStream = new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) });
  t = await makeTestApp({ createWorkspaces: true, logLevel: 'debug' }, { level: 'debug', stream: logStream });
  await t.app.services.catalogEnv.prepare();
  project = (await call({ method: 'POST', url: '/api/projects', payload: { name: 'Audit' } })).json();
  await t.app.services.workspaces.settle();
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch', 'main', path.join(repos, 'a.git')]);
  server = await startGitHttpServer(repos, USER, TOKEN);
  other = await startRecorder();
  // A remote that sends every request on to the other host, as a moved repository would.
  redirector = await listen((req, res) => {
    req.resume();
    res.writeHead(301, { location: `${other.url}${req.url ?? '/'}` }).end();
  });
});
afterAll(async () => {
  await server?.close();
  await other?.close();
  await redirector?.close();
  await t?.close();
  rmSync(repos, { recursive: true, force: true });
});

describe('token audit', () => {
  it('uses the token only with the remote it was given for, and leaves it nowhere', async () => {
    const remote = `${server.url}/a.git`;
    await save('Raw orders');

    // A diff and a push with the token, then a push that reuses it for the same remote (memory only).
    const diff = await post('/git/diff', { remote, branch: 'main', token: TOKEN, username: USER });
    expect(diff.statusCode, diff.body).toBe(200);
    const push = await post('/git/push', { remote, branch: 'main', token: TOKEN, username: USER });
    expect(push.statusCode, push.body).toBe(200);
    expect(push.json().created).toBe(true);
    await save('Raw orders, second version');
    const again = await post('/git/push', { remote, branch: 'main', username: USER });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().files).toEqual([{ path: 'src/audit/defs/extract/defs.yaml', status: 'modified' }]);

    // Another remote, no token given: it asks for credentials and gets none of ours.
    const elsewhere = await post('/git/diff', {
      remote: `${other.url}/b.git`,
      branch: 'main',
      username: USER,
    });
    expect(elsewhere.statusCode).toBe(401);
    expect(elsewhere.json().error.code).toBe('git_auth_failed');
    expect(other.seen.length).toBeGreaterThan(0);
    expect(other.seen.filter((h) => h !== '').length, 'git answered the challenge').toBeGreaterThan(0);

    // The first remote still has its token (bound to it, not replaced by the other diff).
    const back = await post('/git/diff', { remote, branch: 'main', username: USER });
    expect(back.statusCode, back.body).toBe(200);

    // A remote that redirects elsewhere, with a token: the redirect is not followed, so the token stays home.
    const seenBefore = other.seen.length;
    const moved = await post('/git/diff', {
      remote: `${redirector.url}/c.git`,
      branch: 'main',
      token: TOKEN,
      username: USER,
    });
    expect(moved.statusCode).toBeGreaterThanOrEqual(400);
    expect(moved.json().error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(other.seen.length).toBe(seenBefore);

    const zip = await call({ method: 'GET', url: `/api/projects/${project.id}/export.zip` });
    expect(zip.statusCode).toBe(200);
    const env = await call({ method: 'GET', url: `/api/projects/${project.id}/env` });
    expect(env.statusCode).toBe(200);

    // Nowhere: data folder (projects, workspaces, git work trees), repositories, history, log, answers, ZIP.
    const bare = path.join(repos, 'a.git');
    const history = execFileSync('git', ['--git-dir', bare, 'log', '-p', '--all'], { encoding: 'utf8' });
    expect(history).toContain('Raw orders, second version');
    expect(count(allText(t.dataDir), TOKEN), 'data folder').toBe(0);
    expect(count(allText(repos), TOKEN), 'bare repositories').toBe(0);
    expect(count(history, TOKEN), 'pushed history').toBe(0);
    expect(logLines.length).toBeGreaterThan(10);
    expect(count(logLines.join(''), TOKEN), 'server log').toBe(0);
    expect(count(answers.join('\n'), TOKEN), 'API answers').toBe(0);
    expect(count(zip.rawPayload.toString('latin1'), TOKEN), 'ZIP export').toBe(0);
    expect(
      other.seen.map(decoded).filter((h) => h.includes(TOKEN)),
      'sent to the other remote',
    ).toEqual([]);
    expect(server.attempts.ok).toBeGreaterThan(0);
  });
});
