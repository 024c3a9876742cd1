// The schedules-and-sensors routes refuse what the caller can fix, with the error shape, before any instance starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { makeTestApp, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
beforeAll(async () => {
  t = await makeTestApp(); // no workspaces are created: nothing here may reach Dagster
  project = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Auto' } })).json();
});
afterAll(async () => t.close());

describe('automation routes', () => {
  const rows: Array<[string, string, string, unknown, number, string]> = [
    ['an unknown kind', 'POST', 'automation/job/nightly', { running: true }, 400, 'invalid_request'],
    [
      'a name that is no Dagster name',
      'POST',
      'automation/schedule/-x',
      { running: true },
      400,
      'invalid_request',
    ],
    ['no running flag', 'POST', 'automation/schedule/nightly', {}, 400, 'invalid_request'],
    [
      'a workspace that is not ready (toggle)',
      'POST',
      'automation/schedule/nightly',
      { running: true },
      409,
      '',
    ],
    ['a workspace that is not ready (state)', 'GET', 'automation', undefined, 409, ''],
  ];
  it.each(rows)('refuses %s', async (_name, method, tail, payload, status, code) => {
    const res = await t.app.inject({
      method: method as 'GET' | 'POST',
      url: `/api/projects/${project.id}/${tail}`,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    expect(res.statusCode, res.body).toBe(status);
    const body = res.json() as { error: { code: string; message: string } };
    expect(body.error.message).toBeTruthy();
    if (code) expect(body.error.code).toBe(code);
  });

  it('answers 404 for a project that does not exist', async () => {
    const res = await t.app.inject({ url: '/api/projects/0b6f1f7e-2a1c-4c1e-9a4f-3f1d2c3b4a5e/automation' });
    expect(res.statusCode).toBe(404);
  });
});
