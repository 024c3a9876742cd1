// Deployment operations (observe, runs, launch, cancel, reload): validation of every route, one error shape,
// failures of the deployment told in the user's terms, and the token in no answer (against small local servers;
// the real webserver is in test/integration/deployment-ops.test.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { makeTestApp, type TestApp } from '../helpers.js';

const TOKEN = 'dgp_OpsTestToken_4Kx8NeverAnswered';
const RUN_ID = '0f5c2d9e-6a1b-4c3d-8e7f-112233445566';
let t: TestApp;
let project: ProjectFile;
let closedDep: string;
let bearerDep: string;
const answers: string[] = [];
let server: http.Server;
let serverUrl: string;

async function call(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  const res = await t.app.inject({
    method,
    url: `/api/projects/${project.id}${url}`,
    ...(payload ? { payload } : {}),
  });
  answers.push(res.body);
  return res;
}

beforeAll(async () => {
  t = await makeTestApp();
  project = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Ops' } })).json();
  // A proxy in front of a deployment that refuses every token (as one would refuse an expired one).
  server = http.createServer((req, res) => {
    req.resume();
    res
      .writeHead(401, { 'content-type': 'text/plain' })
      .end(`unauthorized: ${req.headers.authorization ?? ''}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const add = async (payload: object) =>
    (await call('POST', '/deployments', payload)).json<{ id: string }>().id;
  closedDep = await add({ name: 'Closed', kind: 'oss', url: 'http://127.0.0.1:9', auth: 'none' });
  bearerDep = await add({ name: 'Proxy', kind: 'oss', url: serverUrl, auth: 'bearer' });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

const expectError = (res: { statusCode: number; json: () => unknown }, status: number, code: string) => {
  expect(res.statusCode).toBe(status);
  const body = res.json() as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
};

describe('deployment operations: validation', () => {
  it.each([
    ['GET', '/assets'],
    ['GET', '/runs'],
    ['GET', `/runs/${RUN_ID}`],
    ['GET', `/runs/${RUN_ID}/logs`],
    ['POST', '/runs'],
    ['POST', `/runs/${RUN_ID}/cancel`],
    ['POST', '/reload'],
  ] as const)(
    '%s %s: a deployment id that is not one is a 400, an unknown one a 404',
    async (method, rest) => {
      expectError(
        await call(method, `/deployments/not-an-id${rest}`, method === 'POST' ? {} : undefined),
        400,
        'invalid_deployment_id',
      );
      expectError(
        await call(
          method,
          `/deployments/6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b${rest}`,
          method === 'POST' ? {} : undefined,
        ),
        404,
        'deployment_not_found',
      );
    },
  );

  it('refuses a run id that is not one, a bad limit, an over-long cursor', async () => {
    expect((await call('GET', `/deployments/${closedDep}/runs/not%20a%20run`)).statusCode).toBe(400);
    expect((await call('GET', `/deployments/${closedDep}/runs?limit=0`)).statusCode).toBe(400);
    expect((await call('GET', `/deployments/${closedDep}/runs?limit=500`)).statusCode).toBe(400);
    const cursor = 'c'.repeat(501);
    expect(
      (await call('GET', `/deployments/${closedDep}/runs/${RUN_ID}/logs?cursor=${cursor}`)).statusCode,
    ).toBe(400);
  });

  it.each([
    ['an unknown field', { assets: ['a'], wait: true }],
    ['assets not a list', { assets: { key: 'raw/orders' } }],
    ['an empty key', { assets: [''] }],
    ['run config not an object', { runConfig: [1, 2] }],
    ['an empty partition', { partition: '' }],
  ])('refuses a launch with %s', async (_, body) => {
    const res = await call('POST', `/deployments/${closedDep}/runs`, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBeTruthy();
  });

  it('answers 404 for an unknown project', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/projects/6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b/deployments/${closedDep}/assets`,
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('deployment operations: failures in the user’s terms, never the token', () => {
  it('a deployment that does not answer is a 502 saying so, on every route', async () => {
    for (const [method, rest] of [
      ['GET', '/assets'],
      ['GET', '/runs'],
      ['POST', '/runs'],
      ['POST', '/reload'],
    ] as const) {
      const res = await call(method, `/deployments/${closedDep}${rest}`, method === 'POST' ? {} : undefined);
      expectError(res, 502, 'deployment_unreachable');
      expect(res.json().error.hint).toMatch(/URL/);
    }
  });

  it('asks for the token before sending anything when none is set', async () => {
    expectError(await call('GET', `/deployments/${bearerDep}/assets`), 400, 'deployment_token_missing');
  });

  it('maps a 401 of the proxy to a clear error, and no answer holds the token', async () => {
    expect((await call('PUT', `/deployments/${bearerDep}/token`, { token: TOKEN })).statusCode).toBe(200);
    for (const [method, rest] of [
      ['GET', '/assets'],
      ['GET', '/runs'],
      ['GET', `/runs/${RUN_ID}/logs`],
      ['POST', '/runs'],
      ['POST', `/runs/${RUN_ID}/cancel`],
      ['POST', '/reload'],
    ] as const) {
      const res = await call(method, `/deployments/${bearerDep}${rest}`, method === 'POST' ? {} : undefined);
      expectError(res, 401, 'deployment_auth_failed');
    }
    expect(answers.join('\n')).not.toContain(TOKEN);
  });
});
