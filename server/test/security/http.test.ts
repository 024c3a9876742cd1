// The bad-input catalogue, HTTP side (issue 14): every route family gets inputs an attacker or a careless user
// would send. Each case must answer a 4xx in the API's one error shape with a message a user can act on, leave
// the data folder exactly as it was (hashed before and after) and the server healthy. YAML a user wrote into
// a defs.yaml is reported as a located problem on its node, never a 500.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../e2e/browser.js';
import { makeTestApp, scriptNode, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
let empty: ProjectFile;
let root: string;
let tokenApp: TestApp;
const SERVER_TOKEN = 'designer-server-token-4417';

beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true });
  await t.app.services.catalogEnv.prepare();
  project = (
    await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Bad inputs' } })
  ).json();
  await t.app.services.workspaces.settle();
  const ws = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/workspace` })).json();
  expect(ws.status).toBe('ready');
  root = ws.path;
  const saved = await t.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: {
      version: project.version,
      graph: { nodes: [scriptNode('n1', 'orders', 'raw/orders')], edges: [] },
    },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  const synced = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/sync` });
  expect(synced.statusCode, synced.body).toBe(200);
  empty = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Empty' } })).json();
  await t.app.services.workspaces.settle();
  t.app.services.sync.stopTimers();
  t.app.services.history!.stopTimers(); // no history write in the background while cases compare the data folder
  tokenApp = await makeTestApp({ token: SERVER_TOKEN });
});
afterAll(async () => {
  t?.app.services.inspector.stop();
  await t?.close();
  await tokenApp?.close();
});

/** Every entry under the data folder: path, type, size, mode and (outside .venv) content. */
function treeHash(dir: string): string {
  return createHash('sha256').update(treeListing(dir).join('\n')).digest('hex');
}

function treeListing(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const child = path.join(rel, name);
      const full = path.join(dir, child);
      const st = lstatSync(full);
      const content =
        st.isFile() && !child.includes('.venv')
          ? createHash('sha256').update(readFileSync(full)).digest('hex')
          : '';
      out.push(`${child}|${st.mode}|${st.isFile() ? st.size : 0}|${content}`);
      if (st.isDirectory()) walk(child);
    }
  };
  walk('');
  return out;
}

const id = () => project.id;
const P = (rest = '') => `/api/projects/${id()}${rest}`;
const UNKNOWN = '0b0d7f4e-1c2a-4f3b-9d8e-5a6b7c8d9e0f';
const deep = (levels: number): string => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const graphWith = (label: string, type = 'dagster.PythonScriptComponent', attributes: object = {}) => ({
  version: 1_000_000,
  graph: {
    nodes: [
      {
        id: 'x',
        type: 'component',
        position: { x: 0, y: 0 },
        data: { label, component_type: type, attributes },
      },
    ],
    edges: [],
  },
});
const json = (method: InjectOptions['method'], url: string, payload?: unknown, headers = {}) =>
  ({ method, url, payload: payload as InjectOptions['payload'], headers }) as InjectOptions;
const git = (kind: 'diff' | 'push', body: object) => json('POST', P(`/git/${kind}`), body);
const local = '/tmp/designer-nowhere.git';

interface Case {
  name: string;
  request: () => InjectOptions;
  status: number;
  /** The error code, and words the message must hold so a user knows what to change. */
  code: string;
  message: RegExp;
}

const cases: Case[] = [
  // Headers: DNS rebinding, cross-site and cross-port requests, Fetch Metadata.
  {
    name: 'Host of another site',
    request: () => json('GET', '/api/projects', undefined, { host: 'evil.example:4780' }),
    status: 403,
    code: 'forbidden_host',
    message: /own host name/,
  },
  {
    name: 'Host that only starts like ours',
    request: () => json('GET', '/api/projects', undefined, { host: '127.0.0.1.nip.io' }),
    status: 403,
    code: 'forbidden_host',
    message: /own host name/,
  },
  {
    name: 'Origin on another local port (POST)',
    request: () => json('POST', '/api/projects', { name: 'x' }, { origin: 'http://127.0.0.1:31337' }),
    status: 403,
    code: 'forbidden_origin',
    message: /127\.0\.0\.1:31337.*refused/,
  },
  {
    name: 'Origin on another port, same name as Host',
    request: () =>
      json('POST', P('/sync'), undefined, { host: 'localhost:4780', origin: 'http://localhost:4781' }),
    status: 403,
    code: 'forbidden_origin',
    message: /only http:\/\/localhost:4780/,
  },
  {
    name: 'Origin with another scheme',
    request: () => json('DELETE', P(), undefined, { origin: 'https://localhost:80' }),
    status: 403,
    code: 'forbidden_origin',
    message: /refused/,
  },
  {
    name: 'Origin of another host',
    request: () => json('PUT', P('/env/API_KEY'), { value: 'x' }, { origin: 'http://evil.example' }),
    status: 403,
    code: 'forbidden_origin',
    message: /evil\.example.*refused/,
  },
  {
    name: 'Origin "null" (sandboxed frame)',
    request: () => json('POST', P('/preview'), undefined, { origin: 'null' }),
    status: 403,
    code: 'forbidden_origin',
    message: /refused/,
  },
  {
    name: 'GET export.zip from another site (<a>, <img>)',
    request: () => json('GET', P('/export.zip'), undefined, { 'sec-fetch-site': 'cross-site' }),
    status: 403,
    code: 'forbidden_origin',
    message: /another site/,
  },
  {
    name: 'GET components?project= from another local port (same-site)',
    request: () =>
      json('GET', `/api/components?project=${id()}`, undefined, { 'sec-fetch-site': 'same-site' }),
    status: 403,
    code: 'forbidden_origin',
    message: /same-site/,
  },
  {
    name: 'GET runs history with a foreign Origin',
    request: () => json('GET', P('/runs'), undefined, { origin: 'http://127.0.0.1:5999' }),
    status: 403,
    code: 'forbidden_origin',
    message: /refused/,
  },
  {
    name: 'browser GET export.zip without Fetch Metadata nor the designer header',
    request: () => json('GET', P('/export.zip'), undefined, { 'user-agent': 'Mozilla/5.0 (Old Safari)' }),
    status: 403,
    code: 'forbidden_origin',
    message: /x-designer-request/,
  },
  {
    name: 'POST sync as a cross-site form (text/plain)',
    request: () => json('POST', P('/sync'), 'a=b', { 'content-type': 'text/plain' }),
    status: 415,
    code: 'unsupported_media_type',
    message: /text\/plain/,
  },
  {
    name: 'POST as a urlencoded form',
    request: () =>
      json('POST', '/api/projects', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' }),
    status: 415,
    code: 'unsupported_media_type',
    message: /urlencoded/,
  },

  // Ids in every route family: not UUIDs, overlong, traversal.
  {
    name: 'project id that is not a UUID',
    request: () => json('GET', '/api/projects/not-a-uuid'),
    status: 400,
    code: 'invalid_project_id',
    message: /UUID|id/i,
  },
  {
    name: 'project id with traversal',
    request: () => json('GET', '/api/projects/..%2F..%2Fetc'),
    status: 400,
    code: 'invalid_project_id',
    message: /id/i,
  },
  {
    name: 'project id of 300 characters',
    request: () => json('GET', `/api/projects/${'a'.repeat(300)}/files`),
    status: 400,
    code: 'invalid_request',
    message: /params\/id: must NOT have more than 64 characters/,
  },
  {
    name: 'unknown project (DELETE)',
    request: () => json('DELETE', `/api/projects/${UNKNOWN}`),
    status: 404,
    code: 'project_not_found',
    message: /No project/,
  },
  {
    name: 'env route with a non-UUID id',
    request: () => json('PUT', '/api/projects/xyz/env/API_KEY', { value: 'v' }),
    status: 400,
    code: 'invalid_project_id',
    message: /id/i,
  },
  {
    name: 'git route with a non-UUID id',
    request: () => json('POST', '/api/projects/1/git/diff', { remote: local, branch: 'main' }),
    status: 400,
    code: 'invalid_project_id',
    message: /id/i,
  },
  {
    name: 'run id that is not one',
    request: () => json('GET', '/api/runs/zz..zz'),
    status: 400,
    code: 'invalid_request',
    message: /runId/,
  },
  {
    name: 'run id of 300 characters',
    request: () => json('GET', `/api/runs/${'a'.repeat(300)}/logs`),
    status: 400,
    code: 'invalid_request',
    message: /params\/runId/,
  },
  {
    name: 'cancel a run id with a slash',
    request: () => json('POST', '/api/runs/..%2Fx/cancel'),
    status: 400,
    code: 'invalid_request',
    message: /runId/,
  },
  {
    name: 'an unknown route',
    request: () => json('GET', '/api/nothing/here'),
    status: 404,
    code: 'route_not_found',
    message: /No route GET/,
  },
  {
    name: 'a bad percent-encoding in a path segment',
    request: () => json('GET', '/api/projects/%E0%A4%A/files'),
    status: 400,
    code: 'invalid_url',
    message: /not valid.*percent-encoding/,
  },

  // Names that reach a path or a command line: labels, component types, env names and values.
  {
    name: 'label starting with "-"',
    request: () => json('PUT', P(), graphWith('-rf')),
    status: 400,
    code: 'invalid_request',
    message: /label/,
  },
  {
    name: 'label with a newline',
    request: () => json('PUT', P(), graphWith('a\nb')),
    status: 400,
    code: 'invalid_request',
    message: /label/,
  },
  {
    name: 'label with NUL',
    request: () => json('PUT', P(), graphWith('a\u0000b')),
    status: 400,
    code: 'invalid_request',
    message: /label/,
  },
  {
    name: 'label with traversal',
    request: () => json('PUT', P(), graphWith('../../x')),
    status: 400,
    code: 'invalid_request',
    message: /label/,
  },
  {
    name: 'component type starting with "-"',
    request: () => json('PUT', P(), graphWith('ok', '-x.Y')),
    status: 400,
    code: 'invalid_request',
    message: /component_type/,
  },
  {
    name: 'component type with a shell character',
    request: () => json('PUT', P(), graphWith('ok', 'a.b;rm')),
    status: 400,
    code: 'invalid_request',
    message: /component_type/,
  },
  {
    name: 'schema of a component type with a space',
    request: () => json('GET', '/api/components/dagster.A%20B/schema'),
    status: 400,
    code: 'invalid_component_type',
    message: /not a component type/,
  },
  {
    name: 'schema of a component type of 250 characters',
    request: () => json('GET', `/api/components/a.${'B'.repeat(248)}/schema`),
    status: 400,
    code: 'invalid_request',
    message: /params\/type: must NOT have more than 200 characters/,
  },
  {
    name: 'env name with "-"',
    request: () => json('PUT', P('/env/BAD-NAME'), { value: 'x' }),
    status: 400,
    code: 'invalid_env_name',
    message: /BAD-NAME/,
  },
  {
    name: 'env name of 129 characters',
    request: () => json('PUT', P(`/env/${'A'.repeat(129)}`), { value: 'x' }),
    status: 400,
    code: 'invalid_request',
    message: /name/,
  },
  {
    name: 'env name with a newline',
    request: () => json('PUT', P('/env/A%0AB'), { value: 'x' }),
    status: 400,
    code: 'invalid_env_name',
    message: /name/,
  },
  {
    name: 'env value with NUL',
    request: () => json('PUT', P('/env/API_KEY'), { value: 'x\u0000y' }),
    status: 400,
    code: 'invalid_env_value',
    message: /value/,
  },
  {
    name: 'env value over 32 KiB',
    request: () => json('PUT', P('/env/API_KEY'), { value: 'v'.repeat(40_000) }),
    status: 400,
    code: 'invalid_request',
    message: /value/,
  },

  // Git: branch names by git's own rules, remotes that could run something, commit messages.
  {
    name: 'branch HEAD',
    request: () => git('diff', { remote: local, branch: 'HEAD' }),
    status: 400,
    code: 'invalid_branch',
    message: /HEAD/,
  },
  {
    name: 'branch .hidden',
    request: () => git('diff', { remote: local, branch: '.hidden' }),
    status: 400,
    code: 'invalid_branch',
    message: /\.hidden.*git's rules/,
  },
  {
    name: 'branch -x',
    request: () => git('push', { remote: local, branch: '-x' }),
    status: 400,
    code: 'invalid_branch',
    message: /-x/,
  },
  {
    name: 'branch a..b',
    request: () => git('diff', { remote: local, branch: 'a..b' }),
    status: 400,
    code: 'invalid_branch',
    message: /a\.\.b/,
  },
  {
    name: 'branch with a component ending in .lock',
    request: () => git('diff', { remote: local, branch: 'x.lock/y' }),
    status: 400,
    code: 'invalid_branch',
    message: /branch name/,
  },
  {
    name: 'branch on the import route: HEAD',
    request: () =>
      json('POST', `/api/projects/${empty.id}/import`, { source: 'git', remote: local, branch: 'HEAD' }),
    status: 400,
    code: 'invalid_branch',
    message: /HEAD/,
  },
  {
    name: 'remote ext::',
    request: () => git('diff', { remote: 'ext::sh -c touch% /tmp/pwned', branch: 'main' }),
    status: 400,
    code: 'invalid_remote',
    message: /remote/,
  },
  {
    name: 'remote --upload-pack',
    request: () => git('push', { remote: '--upload-pack=touch /tmp/pwned', branch: 'main' }),
    status: 400,
    code: 'invalid_remote',
    message: /"-"/,
  },
  {
    name: 'remote -oProxyCommand',
    request: () => git('diff', { remote: '-oProxyCommand=touch /tmp/pwned', branch: 'main' }),
    status: 400,
    code: 'invalid_remote',
    message: /"-"/,
  },
  {
    name: 'ssh URL whose host starts with "-"',
    request: () => git('diff', { remote: 'ssh://-oProxyCommand=touch%20x/repo.git', branch: 'main' }),
    status: 400,
    code: 'invalid_remote',
    message: /host or user name starting with "-"/,
  },
  {
    name: 'scp-like remote whose host starts with "-"',
    request: () => git('diff', { remote: 'git@-oProxyCommand:repo.git', branch: 'main' }),
    status: 400,
    code: 'invalid_remote',
    message: /starting with "-"/,
  },
  {
    name: 'ssh URL whose user starts with "-"',
    request: () => git('push', { remote: 'ssh://-oX@host/repo.git', branch: 'main' }),
    status: 400,
    code: 'invalid_remote',
    message: /starting with "-"/,
  },
  {
    name: 'ssh URL with a port that is not a number',
    request: () => git('diff', { remote: 'ssh://host:-p/repo.git', branch: 'main' }),
    status: 400,
    code: 'invalid_remote',
    message: /not a valid URL|port/,
  },
  {
    name: 'relative file path as remote',
    request: () => git('diff', { remote: 'repos/x.git', branch: 'main' }),
    status: 400,
    code: 'invalid_remote',
    message: /absolute path/,
  },
  {
    name: 'file URL on another host',
    request: () => git('diff', { remote: 'file://server/x.git', branch: 'main' }),
    status: 400,
    code: 'invalid_remote',
    message: /file:\/\/\//,
  },
  {
    name: 'remote with credentials in it',
    request: () => git('diff', { remote: 'https://me:pw@example.com/x.git', branch: 'main' }),
    status: 400,
    code: 'invalid_remote',
    message: /token field/,
  },
  {
    name: 'commit message with NUL',
    request: () => git('push', { remote: local, branch: 'main', message: 'fix\u0000' }),
    status: 400,
    code: 'invalid_commit_message',
    message: /NUL/,
  },
  {
    name: 'commit message of 6000 characters',
    request: () => git('push', { remote: local, branch: 'main', message: 'm'.repeat(6000) }),
    status: 400,
    code: 'invalid_request',
    message: /message/,
  },
  {
    name: 'author name with a newline',
    request: () => git('push', { remote: local, branch: 'main', authorName: 'A\nB' }),
    status: 400,
    code: 'invalid_request',
    message: /authorName/,
  },
  {
    name: 'token with a newline',
    request: () => git('diff', { remote: local, branch: 'main', token: 'abc\ndef' }),
    status: 400,
    code: 'invalid_token',
    message: /token.*control/,
  },

  // Bodies: depth, size, shape, JSON, content type.
  {
    name: 'attributes nested 100,000 levels deep',
    request: () =>
      json(
        'PUT',
        P(),
        `{"version":1,"graph":{"nodes":[{"id":"x","type":"component","position":{"x":0,"y":0},"data":{"label":"a","component_type":"a.B","attributes":${deep(100_000)}}}],"edges":[]}}`,
        { 'content-type': 'application/json' },
      ),
    status: 400,
    code: 'body_too_deep',
    message: /nested more than 64 levels/,
  },
  {
    name: 'run config nested 65 levels deep',
    request: () =>
      json('POST', P('/runs'), `{"runConfig":${deep(65)}}`, { 'content-type': 'application/json' }),
    status: 400,
    code: 'body_too_deep',
    message: /nested/,
  },
  {
    name: 'a huge array of asset keys',
    request: () => json('POST', P('/runs'), { assets: Array.from({ length: 6000 }, (_, i) => `a${i}`) }),
    status: 400,
    code: 'invalid_request',
    message: /assets/,
  },
  {
    name: 'bad JSON',
    request: () => json('POST', '/api/projects', '{"name": ', { 'content-type': 'application/json' }),
    status: 400,
    code: 'invalid_json',
    message: /not valid JSON/,
  },
  {
    name: 'a body over 20 MB',
    request: () =>
      json('PUT', P(), `{"x":"${'a'.repeat(21 * 1024 * 1024)}"}`, { 'content-type': 'application/json' }),
    status: 413,
    code: 'body_too_large',
    message: /too large/,
  },
  {
    name: 'an unknown field',
    request: () => json('POST', '/api/projects', { name: 'x', admin: true }),
    status: 400,
    code: 'invalid_request',
    message: /additional properties/,
  },
  {
    name: 'a ZIP import sent as JSON',
    request: () => json('POST', `/api/projects/${empty.id}/import.zip`, { zip: 'x' }),
    status: 400,
    code: 'invalid_import',
    message: /application\/zip/,
  },
  {
    name: 'a ZIP import sent as a form',
    request: () =>
      json('POST', `/api/projects/${empty.id}/import.zip`, 'zip=x', {
        'content-type': 'multipart/form-data; boundary=x',
      }),
    status: 415,
    code: 'unsupported_media_type',
    message: /multipart/,
  },

  // Runs: asset keys, run config shapes, env overrides.
  {
    name: 'an empty asset key',
    request: () => json('POST', P('/runs'), { assets: [''] }),
    status: 400,
    code: 'invalid_request',
    message: /assets/,
  },
  {
    name: 'asset keys that are objects',
    request: () => json('POST', P('/runs'), { assets: [{ path: ['a'] }] }),
    status: 400,
    code: 'invalid_request',
    message: /assets/,
  },
  {
    name: 'asset key of 501 characters',
    request: () => json('POST', P('/runs/config-schema'), { assets: ['k'.repeat(501)] }),
    status: 400,
    code: 'invalid_request',
    message: /assets/,
  },
  {
    name: 'run config that is a list',
    request: () => json('POST', P('/runs'), { runConfig: [1, 2] }),
    status: 400,
    code: 'invalid_request',
    message: /runConfig/,
  },
  {
    name: 'run config that is a string',
    request: () => json('POST', P('/runs'), { runConfig: 'ops: {}' }),
    status: 400,
    code: 'invalid_request',
    message: /runConfig/,
  },
  {
    name: 'run env override that is not text',
    request: () => json('POST', P('/runs'), { env: { API_KEY: { a: 1 } } }),
    status: 400,
    code: 'invalid_request',
    message: /env/,
  },
  {
    name: 'run log cursor of 600 characters',
    request: () => json('GET', `/api/runs/${'a'.repeat(36)}/logs?cursor=${'c'.repeat(600)}`),
    status: 400,
    code: 'invalid_request',
    message: /cursor/,
  },
];

describe('bad-input catalogue (HTTP)', () => {
  it('has at least 45 cases across the route families', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = treeListing(t.dataDir);
    const res = await t.app.inject(c.request());
    expect(res.statusCode, res.body.slice(0, 500)).toBe(c.status);
    const body = res.json() as { error: { code: string; message: string; hint?: string } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe(c.code);
    expect(body.error.message).toMatch(c.message);
    expect(body.error.message.length).toBeGreaterThan(15);
    const after = treeListing(t.dataDir);
    expect(
      after.filter((e) => !before.includes(e)),
      'changed in the data folder',
    ).toEqual([]);
    expect(
      before.filter((e) => !after.includes(e)),
      'gone from the data folder',
    ).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });
});

describe('names as long as the product allows go through the router', () => {
  it('an env var name of 110 and 128 characters is set (Fastify cut parameters at 100)', async () => {
    for (const length of [110, 128]) {
      const res = await t.app.inject(json('PUT', P(`/env/${'A'.repeat(length)}`), { value: 'v' }));
      expect(res.statusCode, res.body).toBe(200);
      expect((await t.app.inject(json('DELETE', P(`/env/${'A'.repeat(length)}`)))).statusCode).toBe(200);
    }
  });

  it('a component type of 155 characters reaches the catalog (not the router limit)', async () => {
    const res = await t.app.inject(json('GET', `/api/components/dagster.${'C'.repeat(147)}/schema`));
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json().error.code).not.toMatch(/^FST_|parameter_too_long/);
  });

  it('the web app is still served to a cross-site navigation, and same-origin API calls pass', async () => {
    const page = await t.app.inject(json('GET', '/', undefined, { 'sec-fetch-site': 'cross-site' }));
    expect(page.statusCode).not.toBe(403);
    for (const headers of [
      { 'sec-fetch-site': 'same-origin', origin: 'http://localhost' },
      { 'sec-fetch-site': 'none', 'user-agent': 'Mozilla/5.0' },
      { 'user-agent': 'Mozilla/5.0', 'x-designer-request': '1' },
      { origin: 'http://127.0.0.1:4780', host: '127.0.0.1:4780' },
      { 'user-agent': 'curl/8.5.0' },
    ]) {
      const res = await t.app.inject(
        json('GET', '/api/projects', undefined, { host: 'localhost', ...headers }),
      );
      expect(res.statusCode, JSON.stringify(headers)).toBe(200);
    }
  });
});

describe('the server access token (DESIGNER_TOKEN)', () => {
  it.each([
    ['no token', {}],
    ['a wrong bearer token', { authorization: 'Bearer nope' }],
    ['a token of another length', { authorization: `Bearer ${SERVER_TOKEN}x` }],
    ['a wrong cookie', { cookie: 'designer_token=nope' }],
  ])('%s → 401', async (_name, headers) => {
    const before = treeHash(tokenApp.dataDir);
    const res = await tokenApp.app.inject({
      method: 'POST',
      url: '/api/projects',
      payload: { name: 'x' },
      headers,
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/access token/),
    });
    expect(treeHash(tokenApp.dataDir)).toBe(before);
  });
});

describe('YAML a user wrote into a defs.yaml', () => {
  const file = () => path.join(root, 'src', 'bad_inputs', 'defs', 'orders', 'defs.yaml');
  const aliasBomb = [
    'type: dagster.PythonScriptComponent',
    'attributes:',
    '  a: &a ["x","x","x","x","x","x","x","x","x"]',
    '  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    '  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    '  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    '  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    '  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    '  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    '',
  ].join('\n');
  const yamlCases: Array<[string, string, RegExp, number]> = [
    ['an alias bomb', aliasBomb, /alias/, 4],
    [
      'nesting 5,000 levels deep',
      `type: dagster.PythonScriptComponent\nattributes: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      /nested more than 100 levels/,
      2,
    ],
    [
      'a 2 MB scalar',
      `type: dagster.PythonScriptComponent\nattributes:\n  x: "${'a'.repeat(2 * 1024 * 1024)}"\n`,
      /larger than 256 KiB/,
      1,
    ],
    [
      'a syntax error on line 3',
      'type: dagster.PythonScriptComponent\nattributes:\n  assets: a: b\n  execution: {path: orders.py}\n',
      /YAML syntax error/,
      3,
    ],
  ];

  it.each(yamlCases)(
    '%s: sync, preview and export answer (never 500), the problem is on its node at its line, the file is kept',
    async (_name, text, message, line) => {
      writeFileSync(file(), text);
      for (const url of ['/sync', '/preview']) {
        const res = await t.app.inject(json('POST', P(url)));
        expect(res.statusCode, `${url} ${res.body.slice(0, 300)}`).toBe(200);
        const problem = (
          res.json().problems as Array<{ nodeId?: string; file?: string; line?: number; message: string }>
        ).find((p) => p.nodeId === 'n1' && message.test(p.message));
        expect(problem, `${url} ${res.body.slice(0, 600)}`).toBeDefined();
        expect(problem!.file).toBe('src/bad_inputs/defs/orders/defs.yaml');
        expect(problem!.line).toBe(line);
        // dg's own YAML errors too (finding 9): at a file and line, never the traceback line that raised them.
        for (const p of res.json().problems as Array<{ file?: string; line?: number; message: string }>)
          if (/YAML|yaml\./.test(p.message))
            expect(p, JSON.stringify(p)).toMatchObject({
              file: expect.any(String),
              line: expect.any(Number),
            });
      }
      const zip = await t.app.inject(json('GET', P('/export.zip')));
      expect(zip.statusCode).toBe(200);
      expect(readFileSync(file(), 'utf8')).toBe(text);
      expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    },
  );
});

describe('requests Node cannot parse get the error shape too (real socket)', () => {
  it.each([
    ['garbage instead of HTTP', 'GARBAGE\r\n\r\n', 400, 'bad_http_request'],
    [
      'headers over 16 KiB',
      `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'headers_too_large',
    ],
  ])('%s', async (_name, raw, status, code) => {
    const s = await makeTestApp();
    try {
      await s.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = s.app.server.address() as AddressInfo;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.write(raw));
        let text = '';
        socket.on('data', (d) => (text += String(d)));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as {
        error: { code: string; message: string };
      };
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(15);
    } finally {
      await s.close();
    }
  });
});

describe('in a real Chromium', () => {
  it('the web app origin can save, list and download the export; a page on another local port cannot write', async () => {
    const s = await makeTestApp();
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    const own = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const withWorkspace = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const other = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hi</p>'),
    );
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const browser = await chromium.launch({ executablePath: chromiumPath() });
    try {
      const page = await browser.newPage();
      await page.goto(`${own}/api/health`);
      const statuses = await page.evaluate(async () => {
        const created = await fetch('/api/projects', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'From the page' }),
        });
        return [created.status, (await fetch('/api/projects')).status];
      });
      expect(statuses).toEqual([201, 200]);
      await page.goto(`${withWorkspace}/api/health`);
      const zip = await page.evaluate(async (url) => {
        const res = await fetch(url);
        return [res.status, res.headers.get('content-type'), (await res.arrayBuffer()).byteLength];
      }, `/api/projects/${id()}/export.zip`);
      expect(zip[0]).toBe(200);
      expect(zip[1]).toBe('application/zip');
      expect(zip[2]).toBeGreaterThan(1000);

      // Another local server's page: a no-cors POST (what a form or beacon can do) and an <img> GET.
      await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
      await page.evaluate(async (target) => {
        await fetch(`${target}/api/projects`, {
          method: 'POST',
          mode: 'no-cors',
          headers: { 'content-type': 'text/plain' },
          body: '{"name":"From another port"}',
        }).catch(() => undefined);
        const img = new Image();
        img.src = `${target}/api/projects`;
        await new Promise((resolve) => ((img.onerror = resolve), (img.onload = resolve)));
      }, own);
      const names = (
        (await s.app.inject({ method: 'GET', url: '/api/projects' })).json() as Array<{ name: string }>
      ).map((p) => p.name);
      expect(names).toEqual(['From the page']);
    } finally {
      await browser.close();
      other.close();
      await s.close();
    }
  });
});
