// Groups through the API: saved and read back with the project, refused when they do not fit the graph, and named in
// the history (summary and diff), on a workspace folder laid out like create-dagster's (no toolchain needed).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Graph, HistoryDiff, HistoryPage, NodeGroup, ProjectFile } from '@designer/shared';
import { makeTestApp, scriptNode, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;

beforeEach(async () => {
  t = await makeTestApp();
  t.app.services.history!.options.squashMs = -1; // one entry per write
  project = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Shop' } })).json();
  const root = t.app.services.projects.workspaceOf(project.id);
  mkdirSync(path.join(root, '.venv', 'bin'), { recursive: true });
  writeFileSync(path.join(root, '.venv', 'bin', 'dg'), '');
  writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "shop"\n');
});
afterEach(async () => {
  t.app.services.sync.stopTimers();
  await t.close();
});

const nodes = [scriptNode('n1', 'orders', 'orders'), scriptNode('n2', 'customers', 'customers')];
const edges = [{ id: 'e1', source: 'n1', target: 'n2' }];
const group: NodeGroup = { id: 'g1', name: 'Ingest', color: 'green', members: ['n1', 'n2'], collapsed: true };

async function put(graph: Graph) {
  const current = (await t.app.inject({ url: `/api/projects/${project.id}` })).json();
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: { version: current.version, graph },
  });
  t.app.services.sync.stopTimers();
  return res;
}

describe('groups in the project API', () => {
  it('keeps a group through a save and a read, and names it in the history', async () => {
    expect((await put({ nodes, edges })).statusCode).toBe(200);
    await t.app.services.history!.flush(project.id);
    expect((await put({ nodes, edges, groups: [group] })).statusCode).toBe(200);
    const read = (await t.app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile;
    expect(read.graph.groups).toEqual([group]);

    const page = (await t.app.inject({ url: `/api/projects/${project.id}/history` })).json() as HistoryPage;
    expect(page.entries[0]!.summary).toBe('added group Ingest');
    const [to, from] = [page.entries[0]!.commit, page.entries[1]!.commit];
    const diff = (
      await t.app.inject({ url: `/api/projects/${project.id}/history/diff?from=${from}&to=${to}` })
    ).json() as HistoryDiff;
    expect(diff.graph.groups).toEqual({ added: ['Ingest'], removed: [], changed: [] });
    expect(diff.graph.nodes).toEqual({ added: [], removed: [], changed: [] });
  });

  const bad: [string, NodeGroup[], number, string][] = [
    ['a member that does not exist', [{ ...group, members: ['n1', 'n9'] }], 400, 'invalid_graph'],
    [
      'a node in two groups',
      [group, { id: 'g2', name: 'Other', color: 'red', members: ['n2'] }],
      400,
      'invalid_graph',
    ],
    ['a group id that is a node id', [{ ...group, id: 'n1' }], 400, 'invalid_graph'],
    [
      'a colour that is not one of the palette',
      [{ ...group, color: 'pink' as never }],
      400,
      'invalid_request',
    ],
    ['no member', [{ ...group, members: [] }], 400, 'invalid_request'],
  ];
  it.each(bad)('refuses %s', async (_name, groups, status, code) => {
    const res = await put({ nodes, edges, groups });
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
  });
});
