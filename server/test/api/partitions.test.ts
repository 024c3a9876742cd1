// The partitions and backfill routes refuse what the caller can fix, with the error shape, before anything is
// written or any instance starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { makeTestApp, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
beforeAll(async () => {
  t = await makeTestApp(); // no workspaces are created: nothing here may reach Dagster
  project = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Parts' } })).json();
});
afterAll(async () => t.close());

describe('backfill routes', () => {
  const rows: Array<[string, string, string, unknown, number, string, RegExp?]> = [
    [
      'nothing to backfill',
      'POST',
      'backfills',
      { nodes: ['a'] },
      400,
      'bad_backfill',
      /one partition, a range/,
    ],
    [
      'a partition and a range',
      'POST',
      'backfills',
      { partition: '2024-01-01', range: { start: '2024-01-01', end: '2024-01-02' } },
      400,
      'bad_backfill',
    ],
    [
      'a bad start date',
      'POST',
      'backfills',
      { range: { start: '2024-02-30', end: '2024-03-02' } },
      400,
      'bad_partition_key',
      /"2024-02-30" is not a real date/,
    ],
    [
      'a range that ends before it starts',
      'POST',
      'backfills',
      { range: { start: '2024-01-05', end: '2024-01-01' } },
      400,
      'bad_range',
      /starts \(2024-01-05\) after it ends \(2024-01-01\)/,
    ],
    [
      'a range without its end',
      'POST',
      'backfills',
      { range: { start: '2024-01-01' } },
      400,
      'invalid_request',
    ],
    ['an unknown field', 'POST', 'backfills', { partition: 'a', everything: true }, 400, 'invalid_request'],
    ['a backfill id that is no id', 'POST', 'backfills/..%2Fx/cancel', undefined, 400, 'invalid_request'],
    ['a workspace that is not ready (launch)', 'POST', 'backfills', { partition: '2024-01-01' }, 409, ''],
    ['a workspace that is not ready (status)', 'GET', 'partitions', undefined, 409, ''],
    ['a workspace that is not ready (list)', 'GET', 'backfills', undefined, 409, ''],
    ['a workspace that is not ready (selection)', 'POST', 'partitions/selection', { nodes: [] }, 409, ''],
  ];
  it.each(rows)('refuses %s', async (_name, method, tail, payload, status, code, message) => {
    const res = await t.app.inject({
      method: method as 'GET' | 'POST',
      url: `/api/projects/${project.id}/${tail}`,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    expect(res.statusCode, res.body).toBe(status);
    const body = res.json() as { error: { code: string; message: string; hint?: string } };
    expect(body.error.message).toBeTruthy();
    if (code) expect(body.error.code).toBe(code);
    if (message) {
      expect(body.error.message).toMatch(message);
      expect(body.error.hint).toBeTruthy();
    }
  });

  it('answers 404 for a project that does not exist', async () => {
    const res = await t.app.inject({ url: '/api/projects/0b6f1f7e-2a1c-4c1e-9a4f-3f1d2c3b4a5e/backfills' });
    expect(res.statusCode).toBe(404);
  });
});
