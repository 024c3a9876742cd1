// Deployment routes: validation, CRUD, tokens in memory only (never answered, never on disk, dropped with a
// changed URL), and how the client tells failures (closed port, not GraphQL, 401) against small local servers.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { allText, makeTestApp, type TestApp } from '../helpers.js';

const TOKEN = 'dgp_ApiTestToken_9Zq4NeverStored';
let t: TestApp;
let project: ProjectFile;
const answers: string[] = [];

/** A local server that records the headers of each request and answers as `reply` says. */
async function listen(reply: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    reply(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A hash of every file under a folder (names and bytes): proves a request wrote nothing. */
function folderHash(dir: string): string {
  const hash = createHash('sha256');
  for (const entry of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isFile()) hash.update(entry).update(readFileSync(full));
  }
  return hash.digest('hex');
}

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) {
  const res = await t.app.inject({
    method,
    url: `/api/projects/${project.id}/deployments${url}`,
    ...(payload ? { payload } : {}),
  });
  answers.push(res.body, JSON.stringify(res.headers));
  return res;
}

const oss = { name: 'Prod', kind: 'oss', url: 'http://127.0.0.1:9/', auth: 'bearer' };

beforeAll(async () => {
  t = await makeTestApp();
  project = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Shop' } })).json();
});
afterAll(async () => {
  await t.close();
});

describe('deployments API', () => {
  it.each([
    ['an ssh URL', { ...oss, url: 'ssh://host/x' }, 'url'],
    ['credentials in the URL', { ...oss, url: 'http://me:secret@host:3000' }, 'url'],
    ['the /graphql endpoint instead of the base URL', { ...oss, url: 'http://host/graphql' }, 'url'],
    [
      'Dagster+ without organization',
      { ...oss, kind: 'plus', auth: 'plus', deployment: 'prod' },
      'organization',
    ],
    ['header auth without a header name', { ...oss, auth: 'header' }, 'headerName'],
    ['header auth on Cookie', { ...oss, auth: 'header', headerName: 'Cookie' }, 'headerName'],
    ['a blank name', { ...oss, name: '   ' }, 'name'],
  ])('refuses %s (400 naming the field)', async (_label, body, field) => {
    const res = await call('POST', '', body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_deployment', details: { field } });
  });

  it('refuses unknown fields, a token in the deployment, bad kinds and names with control characters', async () => {
    for (const body of [
      { ...oss, token: TOKEN },
      { ...oss, kind: 'k8s' },
      { ...oss, name: 'a\nb' },
      { ...oss, url: 'x'.repeat(3000) },
    ]) {
      const res = await call('POST', '', body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBeTypeOf('string');
    }
  });

  it('creates, lists, changes and removes deployments; ids and names are checked', async () => {
    const created = await call('POST', '', oss);
    expect(created.statusCode, created.body).toBe(201);
    const dep = created.json();
    expect(dep).toMatchObject({
      name: 'Prod',
      url: 'http://127.0.0.1:9',
      tokenFrom: 'memory',
      tokenSet: false,
    });
    expect((await call('POST', '', { ...oss, name: 'prod' })).json().error.code).toBe(
      'deployment_name_taken',
    );
    expect((await call('GET', '')).json()).toEqual([dep]);

    const changed = await call('PUT', `/${dep.id}`, {
      ...oss,
      name: 'Production',
      auth: 'header',
      headerName: 'X-Api-Key',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ id: dep.id, name: 'Production', headerName: 'X-Api-Key' });

    expect((await call('PUT', '/not-a-uuid', oss)).json().error.code).toBe('invalid_deployment_id');
    const missing = await call('DELETE', `/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`);
    expect(missing.statusCode).toBe(404);
    const otherProject = await t.app.inject({
      url: `/api/projects/${'1'.repeat(8)}-1111-4111-8111-${'1'.repeat(12)}/deployments`,
    });
    expect(otherProject.statusCode).toBe(404);

    expect((await call('DELETE', `/${dep.id}`)).statusCode).toBe(204);
    expect((await call('GET', '')).json()).toEqual([]);
  });

  it('keeps a token in memory only, bound to the URL it was given for, and never answers it', async () => {
    const dep = (await call('POST', '', { ...oss, name: 'Tokened' })).json();
    const before = folderHash(t.dataDir);
    for (const bad of [` ${TOKEN}`, `${TOKEN}\nX-Evil: 1`, 'a b']) {
      const res = await call('PUT', `/${dep.id}/token`, { token: bad });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('invalid_token');
    }
    const set = await call('PUT', `/${dep.id}/token`, { token: TOKEN });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().tokenSet).toBe(true);
    expect(folderHash(t.dataDir), 'giving a token writes nothing').toBe(before);
    expect((await call('GET', '')).json().find((d: { id: string }) => d.id === dep.id).tokenSet).toBe(true);

    // Same URL written differently: the token stays; another URL: it is dropped.
    const same = await call('PUT', `/${dep.id}`, { ...oss, name: 'Tokened', url: 'HTTP://127.0.0.1:9///' });
    expect(same.json().tokenSet).toBe(true);
    const moved = await call('PUT', `/${dep.id}`, { ...oss, name: 'Tokened', url: 'http://127.0.0.1:10' });
    expect(moved.json().tokenSet).toBe(false);

    await call('PUT', `/${dep.id}/token`, { token: TOKEN });
    expect((await call('DELETE', `/${dep.id}/token`)).statusCode).toBe(204);
    expect((await call('GET', '')).json().find((d: { id: string }) => d.id === dep.id).tokenSet).toBe(false);

    const none = (await call('POST', '', { ...oss, name: 'Open', auth: 'none' })).json();
    expect((await call('PUT', `/${none.id}/token`, { token: TOKEN })).json().error.code).toBe(
      'deployment_takes_no_token',
    );
  });

  it('reads the token from DAGSTER_CLOUD_API_TOKEN when told to, and refuses one given in memory', async () => {
    const dep = (
      await call('POST', '', {
        name: 'Cloud',
        kind: 'plus',
        url: 'https://dagster.cloud/acme',
        organization: 'acme',
        deployment: 'prod',
        auth: 'plus',
        tokenFrom: 'env',
      })
    ).json();
    const saved = process.env.DAGSTER_CLOUD_API_TOKEN;
    try {
      delete process.env.DAGSTER_CLOUD_API_TOKEN;
      expect((await call('GET', '')).json().find((d: { id: string }) => d.id === dep.id).tokenSet).toBe(
        false,
      );
      const test = await call('POST', `/${dep.id}/test`);
      expect(test.statusCode).toBe(400);
      expect(test.json().error).toMatchObject({ code: 'deployment_token_missing' });
      expect(test.json().error.hint).toContain('DAGSTER_CLOUD_API_TOKEN');
      process.env.DAGSTER_CLOUD_API_TOKEN = TOKEN;
      expect((await call('GET', '')).json().find((d: { id: string }) => d.id === dep.id).tokenSet).toBe(true);
      expect((await call('PUT', `/${dep.id}/token`, { token: TOKEN })).json().error.code).toBe(
        'deployment_token_from_env',
      );
    } finally {
      if (saved === undefined) delete process.env.DAGSTER_CLOUD_API_TOKEN;
      else process.env.DAGSTER_CLOUD_API_TOKEN = saved;
    }
  });

  it('tells a closed port, a non-GraphQL answer and a refused token apart, sending the token as configured', async () => {
    const closed = await listen((_req, res) => res.end());
    await closed.close();
    const down = (await call('POST', '', { ...oss, name: 'Down', url: closed.url, auth: 'none' })).json();
    const downTest = await call('POST', `/${down.id}/test`);
    expect(downTest.statusCode, downTest.body).toBe(200);
    expect(downTest.json()).toMatchObject({ reachable: false, locations: [] });
    expect(downTest.json().message).toContain('connection was refused');

    const html = await listen((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>nope</h1>'),
    );
    const web = (
      await call('POST', '', { ...oss, name: 'Web', url: `${html.url}/app`, auth: 'none' })
    ).json();
    const webTest = (await call('POST', `/${web.id}/test`)).json();
    expect(webTest).toMatchObject({ reachable: false });
    expect(webTest.message).toContain('HTTP 404 (text/html)');
    expect(html.seen[0]?.['content-type']).toBe('application/json');
    await html.close();

    const guard = await listen((_req, res) => res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('no'));
    const kinds = [
      {
        name: 'Bearer',
        auth: 'bearer',
        expect: (h: http.IncomingHttpHeaders) => h.authorization === `Bearer ${TOKEN}`,
      },
      {
        name: 'Header',
        auth: 'header',
        headerName: 'X-Team-Key',
        expect: (h: http.IncomingHttpHeaders) => h['x-team-key'] === TOKEN && !h.authorization,
      },
      {
        name: 'Plus',
        kind: 'plus',
        auth: 'plus',
        organization: 'acme',
        deployment: 'prod',
        expect: (h: http.IncomingHttpHeaders) =>
          h['dagster-cloud-api-token'] === TOKEN &&
          h['dagster-cloud-organization'] === 'acme' &&
          h['dagster-cloud-deployment'] === 'prod',
      },
    ];
    for (const { expect: check, ...fields } of kinds) {
      const dep = (await call('POST', '', { ...oss, url: guard.url, ...fields })).json();
      const missing = await call('POST', `/${dep.id}/test`);
      expect(missing.json().error.code, fields.name).toBe('deployment_token_missing');
      await call('PUT', `/${dep.id}/token`, { token: TOKEN });
      const refused = await call('POST', `/${dep.id}/test`);
      expect(refused.statusCode, refused.body).toBe(401);
      expect(refused.json().error).toMatchObject({ code: 'deployment_auth_failed' });
      expect(refused.json().error.message).toContain('HTTP 401');
      expect(check(guard.seen.at(-1)!), `${fields.name} headers`).toBe(true);
    }
    await guard.close();

    // No redirect is followed: the token never reaches the host a redirect names.
    const elsewhere = await listen((_req, res) => res.end('{}'));
    const mover = await listen((req, res) =>
      res.writeHead(307, { location: `${elsewhere.url}/graphql` }).end(),
    );
    const dep = (await call('POST', '', { ...oss, name: 'Mover', url: mover.url })).json();
    await call('PUT', `/${dep.id}/token`, { token: TOKEN });
    const moved = (await call('POST', `/${dep.id}/test`)).json();
    expect(moved).toMatchObject({ reachable: false });
    expect(moved.message).toContain('redirects to');
    expect(elsewhere.seen).toEqual([]);
    await mover.close();
    await elsewhere.close();
  });

  it('leaves the token nowhere: not in any answer, nor in the data folder', () => {
    expect(answers.join('\n').split(TOKEN).length - 1).toBe(0);
    expect(allText(t.dataDir).split(TOKEN).length - 1).toBe(0);
    expect(readdirSync(path.join(t.dataDir, '.deployments'))).toEqual([`${project.id}.json`]);
  });

  it('removes the list with the project', async () => {
    expect((await t.app.inject({ method: 'DELETE', url: `/api/projects/${project.id}` })).statusCode).toBe(
      204,
    );
    expect(readdirSync(path.join(t.dataDir, '.deployments'))).toEqual([]);
  });
});
