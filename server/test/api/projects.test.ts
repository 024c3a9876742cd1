import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { makeTestApp, type TestApp } from '../helpers.js';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(async () => t.close());

async function create(name = 'Sales Pipeline'): Promise<ProjectFile> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/projects',
    payload: { name, description: 'demo' },
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

const node = (id: string, label: string) => ({
  id,
  type: 'component' as const,
  position: { x: 10, y: 20 },
  data: {
    label,
    component_type: 'dagster.PythonScriptComponent',
    attributes: { execution: { path: 'run.py' } },
  },
});

describe('projects API', () => {
  it('creates, lists, reads, saves, renames and deletes a project', async () => {
    const p = await create();
    expect(p).toMatchObject({
      formatVersion: 3,
      name: 'Sales Pipeline',
      package_name: 'sales_pipeline',
      version: 1,
      git_branch: 'main',
    });
    expect(JSON.parse(readFileSync(path.join(t.dataDir, `${p.id}.json`), 'utf8'))).toEqual(p);

    const list = await t.app.inject({ method: 'GET', url: '/api/projects' });
    expect(list.json()).toEqual([
      expect.objectContaining({ id: p.id, name: 'Sales Pipeline', nodeCount: 0, version: 1 }),
    ]);

    const graph = {
      nodes: [node('n1', 'extract'), node('n2', 'load')],
      edges: [{ id: 'e1', source: 'n1', target: 'n2' }],
      viewport: { x: 1, y: 2, zoom: 0.5 },
    };
    const saved = await t.app.inject({
      method: 'PUT',
      url: `/api/projects/${p.id}`,
      payload: { version: 1, graph },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({ id: p.id, version: 2, updated_at: expect.any(String) });

    const read = await t.app.inject({ method: 'GET', url: `/api/projects/${p.id}` });
    expect(read.json().graph).toEqual(graph);

    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/projects/${p.id}`,
      payload: { name: 'Renamed', version: 2 },
    });
    expect(renamed.json()).toMatchObject({ name: 'Renamed', version: 3, package_name: 'sales_pipeline' });

    const del = await t.app.inject({ method: 'DELETE', url: `/api/projects/${p.id}` });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/projects/${p.id}` })).statusCode).toBe(404);
    expect(readdirSync(t.dataDir).filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  it('refuses a stale version with 409 and the current version, leaving the file unchanged', async () => {
    const p = await create();
    const graph = { nodes: [node('n1', 'a')], edges: [] };
    await t.app.inject({ method: 'PUT', url: `/api/projects/${p.id}`, payload: { version: 1, graph } });
    const before = readFileSync(path.join(t.dataDir, `${p.id}.json`), 'utf8');
    const stale = await t.app.inject({
      method: 'PUT',
      url: `/api/projects/${p.id}`,
      payload: { version: 1, graph: { nodes: [], edges: [] } },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'stale_version', details: { currentVersion: 2 } });
    expect(stale.json().error.hint).toContain('Reload');
    expect(readFileSync(path.join(t.dataDir, `${p.id}.json`), 'utf8')).toBe(before);
  });

  it('takes back what GET answers: read → change → save round-trips; server-owned fields cannot be changed', async () => {
    const p = await create();
    const read = (await t.app.inject({ method: 'GET', url: `/api/projects/${p.id}` })).json();
    const changed = {
      ...read,
      description: 'changed by a script',
      graph: { nodes: [node('n1', 'a')], edges: [] },
    };
    const saved = await t.app.inject({ method: 'PUT', url: `/api/projects/${p.id}`, payload: changed });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().version).toBe(2);
    const after = (await t.app.inject({ method: 'GET', url: `/api/projects/${p.id}` })).json();
    expect(after).toMatchObject({
      description: 'changed by a script',
      created_at: read.created_at,
      id: p.id,
    });
    expect(after.graph.nodes).toHaveLength(1);

    const before = readFileSync(path.join(t.dataDir, `${p.id}.json`), 'utf8');
    for (const [field, value] of [
      ['package_name', 'other_pkg'],
      ['id', '00000000-0000-4000-8000-000000000000'],
      ['formatVersion', 1],
    ] as const) {
      const res = await t.app.inject({
        method: 'PUT',
        url: `/api/projects/${p.id}`,
        payload: { ...after, [field]: value },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'read_only_field' });
      expect(res.json().error.message).toContain(field);
    }
    expect(readFileSync(path.join(t.dataDir, `${p.id}.json`), 'utf8')).toBe(before);
  });

  it('serialises concurrent saves: exactly one of two saves of the same version wins', async () => {
    const p = await create();
    const saves = await Promise.all(
      [1, 2].map((i) =>
        t.app.inject({
          method: 'PUT',
          url: `/api/projects/${p.id}`,
          payload: { version: 1, graph: { nodes: [node(`n${i}`, `x${i}`)], edges: [] } },
        }),
      ),
    );
    expect(saves.map((s) => s.statusCode).sort()).toEqual([200, 409]);
    const final = (await t.app.inject({ method: 'GET', url: `/api/projects/${p.id}` })).json();
    expect(final.version).toBe(2);
  });

  const badSaves: Array<[string, unknown, number, string]> = [
    [
      'a cycle',
      {
        version: 1,
        graph: {
          nodes: [node('a', 'a'), node('b', 'b')],
          edges: [
            { id: '1', source: 'a', target: 'b' },
            { id: '2', source: 'b', target: 'a' },
          ],
        },
      },
      400,
      'invalid_graph',
    ],
    [
      'duplicate labels',
      { version: 1, graph: { nodes: [node('a', 'same'), node('b', 'same')], edges: [] } },
      400,
      'invalid_graph',
    ],
    [
      'a label with a path in it',
      { version: 1, graph: { nodes: [node('a', '../etc')], edges: [] } },
      400,
      'invalid_request',
    ],
    [
      'a label starting with a dash',
      { version: 1, graph: { nodes: [node('a', '-rf')], edges: [] } },
      400,
      'invalid_request',
    ],
    [
      'a component type that is not a Python path',
      {
        version: 1,
        graph: {
          nodes: [
            { ...node('a', 'a'), data: { label: 'a', component_type: '--upload-pack=x', attributes: {} } },
          ],
          edges: [],
        },
      },
      400,
      'invalid_request',
    ],
    [
      'a dangling edge',
      { version: 1, graph: { nodes: [node('a', 'a')], edges: [{ id: '1', source: 'a', target: 'ghost' }] } },
      400,
      'invalid_graph',
    ],
    ['missing graph', { version: 1 }, 400, 'invalid_request'],
    ['unknown field', { version: 1, graph: { nodes: [], edges: [] }, evil: true }, 400, 'invalid_request'],
  ];
  it.each(badSaves)('refuses %s without touching the file', async (_what, payload, status, code) => {
    const p = await create();
    const before = readFileSync(path.join(t.dataDir, `${p.id}.json`), 'utf8');
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/projects/${p.id}`,
      payload: payload as object,
    });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message.length).toBeGreaterThan(10);
    expect(readFileSync(path.join(t.dataDir, `${p.id}.json`), 'utf8')).toBe(before);
  });

  it.each([
    ['bad JSON', '{"name": ', 'application/json', 400, 'invalid_json'],
    ['missing name', '{}', 'application/json', 400, 'invalid_request'],
    ['blank name', '{"name": "   "}', 'application/json', 400, 'invalid_name'],
    ['over-long name', JSON.stringify({ name: 'x'.repeat(201) }), 'application/json', 400, 'invalid_request'],
    ['text body', 'name=x', 'text/plain', 415, 'unsupported_media_type'],
    ['form body', 'name=x', 'application/x-www-form-urlencoded', 415, 'unsupported_media_type'],
  ])('create refuses %s', async (_what, body, type, status, code) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      payload: body,
      headers: { 'content-type': type },
    });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(readdirSync(t.dataDir).filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  it('refuses an oversize body with 413', async () => {
    const p = await create();
    const huge = { version: 1, graph: { nodes: [], edges: [] }, description: 'x'.repeat(21 * 1024 * 1024) };
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/projects/${p.id}`,
      payload: JSON.stringify(huge),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('body_too_large');
    expect(res.json().error.hint).toBe('This request accepts at most 20 MiB.');
  });

  it.each(['..%2F..%2Fetc%2Fpasswd', '..', 'not-a-uuid', '-rf', '00000000-0000-0000-0000-000000000000.json'])(
    'refuses the id %s',
    async (id) => {
      for (const method of ['GET', 'DELETE'] as const) {
        const res = await t.app.inject({ method, url: `/api/projects/${id}` });
        expect([400, 404]).toContain(res.statusCode);
        expect(res.json().error.code).toMatch(/invalid_project_id|route_not_found/);
      }
    },
  );

  it('returns 404 for an unknown project', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/projects/3f2b8c1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('project_not_found');
  });

  it('lists corrupt and future-format files with an error, and never overwrites them', async () => {
    const good = await create('Good');
    const corruptId = '11111111-1111-4111-8111-111111111111';
    const futureId = '22222222-2222-4222-8222-222222222222';
    writeFileSync(path.join(t.dataDir, `${corruptId}.json`), '{ not json');
    writeFileSync(
      path.join(t.dataDir, `${futureId}.json`),
      JSON.stringify({ ...good, id: futureId, formatVersion: 99 }),
    );
    const list = (await t.app.inject({ method: 'GET', url: '/api/projects' })).json() as Array<{
      id: string;
      error?: { code: string };
    }>;
    expect(list).toHaveLength(3);
    expect(list.find((p) => p.id === corruptId)?.error?.code).toBe('corrupt_project');
    expect(list.find((p) => p.id === futureId)?.error?.code).toBe('future_format');
    const read = await t.app.inject({ method: 'GET', url: `/api/projects/${futureId}` });
    expect(read.statusCode).toBe(422);
    expect(read.json().error.hint).toContain('newer');
    const save = await t.app.inject({
      method: 'PUT',
      url: `/api/projects/${corruptId}`,
      payload: { version: 1, graph: { nodes: [], edges: [] } },
    });
    expect(save.statusCode).toBe(422);
    expect(readFileSync(path.join(t.dataDir, `${corruptId}.json`), 'utf8')).toBe('{ not json');
  });

  it('leaves no temporary files behind after many saves', async () => {
    const p = await create();
    for (let v = 1; v <= 20; v += 1) {
      await t.app.inject({
        method: 'PUT',
        url: `/api/projects/${p.id}`,
        payload: { version: v, graph: { nodes: [node('n', `l${v}`)], edges: [] } },
      });
    }
    expect(readdirSync(t.dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reports a missing workspace when workspaces are not created', async () => {
    const p = await create();
    const res = await t.app.inject({ method: 'GET', url: `/api/projects/${p.id}/workspace` });
    expect(res.json()).toMatchObject({ status: 'missing', path: path.join(t.dataDir, p.id) });
  });
});
