import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { makeTestApp, type TestApp } from '../helpers.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('health and OpenAPI', () => {
  it('reports version and the pinned toolchain', async () => {
    t = await makeTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      version: '0.1.0',
      toolchain: { dagster: '1.13.27', createDagster: '1.13.27' },
    });
  });

  it('says the toolchain is not ready, and refuses Dagster work with a hint, when uv is missing', async () => {
    t = await makeTestApp({ toolchainDir: mkdtempSync(path.join(os.tmpdir(), 'no-toolchain-')) });
    const health = (await t.app.inject({ method: 'GET', url: '/api/health' })).json();
    // uv may still be on PATH on a developer machine; the refusal below only applies when it is not.
    if (health.toolchain.uv === null) {
      expect(health).toMatchObject({ status: 'degraded', toolchain: { ready: false } });
      const res = await t.app.inject({ method: 'GET', url: '/api/components' });
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toMatchObject({ code: 'toolchain_not_ready' });
      expect(res.json().error.hint).toContain('npm start');
    } else {
      const res = await t.app.inject({ method: 'GET', url: '/api/components' });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toMatch(/catalog_missing|toolchain_not_ready/);
    }
  });

  it('serves an OpenAPI document listing every route', async () => {
    t = await makeTestApp();
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of [
      '/api/health',
      '/api/components',
      '/api/components/{type}/schema',
      '/api/projects',
      '/api/projects/{id}',
      '/api/projects/{id}/workspace',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(doc.paths['/api/projects'].post.requestBody).toBeDefined();
  });

  it('answers unknown API routes with a JSON 404', async () => {
    t = await makeTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('route_not_found');
  });
});

describe('security', () => {
  it.each([
    ['evil.example:4780', 403],
    ['127.0.0.1.nip.io', 403],
    ['127.0.0.1:4780', 200],
    ['localhost:4780', 200],
    ['[::1]:4780', 200],
  ])('Host %s → %i', async (host, status) => {
    t ??= await makeTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/health', headers: { host } });
    expect(res.statusCode).toBe(status);
    if (status === 403) expect(res.json().error.code).toBe('forbidden_host');
  });

  it.each([
    ['http://evil.example', '127.0.0.1:4780', 403],
    ['null', '127.0.0.1:4780', 403],
    ['http://127.0.0.1:4780', '127.0.0.1:4780', 201],
    ['http://127.0.0.1:31337', '127.0.0.1:4780', 403], // another local page: the port counts
    ['http://localhost:5173', 'localhost:5173', 201], // the Vite dev server's proxy keeps the Host
  ])('mutating request from Origin %s to Host %s → %i', async (origin, host, status) => {
    t ??= await makeTestApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      payload: { name: 'x' },
      headers: { origin, host },
    });
    expect(res.statusCode).toBe(status);
  });

  it('refuses cross-site fetches by Sec-Fetch-Site', async () => {
    t = await makeTestApp();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      payload: { name: 'x' },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('requires DESIGNER_TOKEN on every request when one is set', async () => {
    t = await makeTestApp({ token: 's3cret-token' });
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/health', headers: { authorization: 'Bearer wrong' } }))
        .statusCode,
    ).toBe(401);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/health',
          headers: { authorization: 'Bearer s3cret-token' },
        })
      ).statusCode,
    ).toBe(200);
    const viaQuery = await t.app.inject({ method: 'GET', url: '/api/health?token=s3cret-token' });
    expect(viaQuery.statusCode).toBe(200);
    const cookie = String(viaQuery.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/health', headers: { cookie: cookie.split(';')[0]! } }))
        .statusCode,
    ).toBe(200);
    const body = (await t.app.inject({ method: 'GET', url: '/api/health' })).body;
    expect(body).not.toContain('s3cret-token');
  });

  it('never writes the token to the request log', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    t = await makeTestApp({ token: 'log-secret-token' }, { level: 'info', stream });
    await t.app.inject({ method: 'GET', url: '/api/health?token=log-secret-token' });
    await t.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { authorization: 'Bearer log-secret-token', cookie: 'designer_token=log-secret-token' },
    });
    expect(lines.join('')).toContain('/api/health?token=***');
    expect(lines.join('')).not.toContain('log-secret-token');
  });

  it('refuses to bind beyond loopback without a token', () => {
    expect(() => loadConfig({ DESIGNER_HOST: '0.0.0.0' })).toThrow(/DESIGNER_TOKEN/);
    expect(loadConfig({ DESIGNER_HOST: '0.0.0.0', DESIGNER_TOKEN: 'x' }).host).toBe('0.0.0.0');
    expect(() => loadConfig({ DESIGNER_PORT: 'abc' })).toThrow(/DESIGNER_PORT/);
  });

  it('reads the preview idle timeout in seconds (default 90) and refuses one that is not a positive number', () => {
    expect(loadConfig({}).previewIdleSeconds).toBe(90);
    expect(loadConfig({ DESIGNER_PREVIEW_IDLE_SECONDS: '2.5' }).previewIdleSeconds).toBe(2.5);
    for (const bad of ['soon', '0', '-5', ''])
      expect(() => loadConfig({ DESIGNER_PREVIEW_IDLE_SECONDS: bad })).toThrow(
        /DESIGNER_PREVIEW_IDLE_SECONDS/,
      );
  });
});

describe('components API errors', () => {
  it.each([
    ['--upload-pack', 400, 'invalid_component_type'],
    ['PythonScriptComponent', 400, 'invalid_component_type'],
    ['dagster.X%3Brm', 400, 'invalid_component_type'],
  ])('schema of %s → %i', async (type, status, code) => {
    t ??= await makeTestApp();
    const res = await t.app.inject({ method: 'GET', url: `/api/components/${type}/schema` });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  it('refuses a project query that is not a project id', async () => {
    t = await makeTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/components?project=../../etc' });
    expect([400, 503]).toContain(res.statusCode);
  });
});
