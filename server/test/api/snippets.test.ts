// Snippets through the API, on a workspace folder laid out like create-dagster's (no toolchain needed): save a
// selection with its files, list, export, import, insert (twice: names, keys, files and edges made unique), and
// bad input answered with a 4xx while nothing on disk changes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Graph, GraphNode, ProjectFile, Snippet } from '@designer/shared';
import { componentNode, makeTestApp, scriptNode, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
let root: string;
const defs = () => path.join(root, 'src', 'shop', 'defs');

const load = scriptNode('n1', 'load', 'load');
const report: GraphNode = {
  ...componentNode('n2', 'report', 'dagster.TemplatedSqlComponent', {
    assets: [{ key: 'report' }],
    sql_template: { path: 'report.sql' },
    connection: "{{ context.load_component('warehouse') }}",
  }),
  position: { x: 300, y: 0 },
};
const other = scriptNode('n3', 'other', 'raw/other');
const graph: Graph = {
  nodes: [load, report, other],
  edges: [
    { id: 'e1', source: 'n1', target: 'n2' },
    { id: 'e2', source: 'n2', target: 'n3' },
  ],
};

beforeEach(async () => {
  t = await makeTestApp();
  project = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Shop' } })).json();
  root = t.app.services.projects.workspaceOf(project.id);
  mkdirSync(path.join(root, '.venv', 'bin'), { recursive: true });
  writeFileSync(path.join(root, '.venv', 'bin', 'dg'), '');
  writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "shop"\n');
  const files: Record<string, string> = {
    'load/defs.yaml': 'type: dagster.PythonScriptComponent\n',
    'load/load.py': 'print("load")\n',
    'load/helpers/util.py': 'X = 1\n',
    'load/.env': 'SECRET=1\n',
    'load/__pycache__/load.cpython-311.pyc': 'x',
    'report/defs.yaml': 'type: dagster.TemplatedSqlComponent\n',
    'report/report.sql': 'select * from load\n',
    'other/other.py': 'print("other")\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(defs(), rel)), { recursive: true });
    writeFileSync(path.join(defs(), rel), text);
  }
  const saved = await t.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: { version: 1, graph },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  stopBackground();
});
afterEach(async () => {
  stopBackground();
  await t.close();
});

/** No background sync (there is no real dg) or history write while a test compares the disk. */
function stopBackground() {
  t.app.services.sync.stopTimers();
  t.app.services.history?.stopTimers();
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const saveSnippet = (payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/snippets`, payload });
const currentVersion = async () =>
  ((await t.app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile).version;
const insert = async (name: string, payload: Record<string, unknown> = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/api/projects/${project.id}/snippets/${name}/insert`,
    payload: { version: await currentVersion(), ...payload },
  });

describe('snippets API', () => {
  it('saves a selection with its inner edge and its files, lists and exports it', async () => {
    const res = await saveSnippet({
      name: 'load_and_report',
      description: 'Load, then report',
      nodes: ['n1', 'n2'],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().snippet).toEqual({
      name: 'load_and_report',
      description: 'Load, then report',
      created_at: expect.any(String),
      nodes: [
        { label: 'load', component_type: 'dagster.PythonScriptComponent' },
        { label: 'report', component_type: 'dagster.TemplatedSqlComponent' },
      ],
      edgeCount: 1,
      // defs.yaml (written from the node), .env (a secret) and caches stay out.
      files: ['load/helpers/util.py', 'load/load.py', 'report/report.sql'],
    });
    expect(existsSync(path.join(t.dataDir, '.snippets', 'load_and_report.json'))).toBe(true);

    const listed = await t.app.inject({ url: '/api/snippets' });
    expect(listed.json().map((s: { name: string }) => s.name)).toEqual(['load_and_report']);

    const exported = await t.app.inject({ url: '/api/snippets/load_and_report' });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toContain('load_and_report.snippet.json');
    const file = exported.json() as Snippet;
    expect(file.edges).toEqual([{ id: 'e1', source: 'n1', target: 'n2' }]);
    expect(file.files.find((f) => f.path === 'load.py')?.content).toBe('print("load")\n');

    // The same name again: 409 unless replaced on purpose.
    expect((await saveSnippet({ name: 'load_and_report', nodes: ['n1'] })).statusCode).toBe(409);
    const replaced = await saveSnippet({ name: 'load_and_report', nodes: ['n1'], overwrite: true });
    expect(replaced.statusCode).toBe(201);
    expect(replaced.json().snippet.nodes).toHaveLength(1);
  });

  it('inserts a snippet twice: new names, keys and files where the defaults were used, edges rewired', async () => {
    expect((await saveSnippet({ name: 'piece', nodes: ['n1', 'n2'] })).statusCode).toBe(201);
    const first = await insert('piece', { position: { x: 40, y: 400 } });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      renamed: [
        { from: 'load', to: 'load_2' },
        { from: 'report', to: 'report_2' },
      ],
      files: [
        'src/shop/defs/load_2/helpers/util.py',
        'src/shop/defs/load_2/load_2.py',
        'src/shop/defs/report_2/report_2.sql',
      ],
      warnings: [],
    });
    expect(readFileSync(path.join(defs(), 'load_2', 'load_2.py'), 'utf8')).toBe('print("load")\n');
    const saved = (await t.app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile;
    const [a, b] = first.json().nodes as string[];
    const byId = new Map(saved.graph.nodes.map((n) => [n.id, n]));
    expect(byId.get(a!)).toMatchObject({
      position: { x: 40, y: 400 },
      data: {
        label: 'load_2',
        attributes: { assets: [{ key: 'load_2' }], execution: { path: 'load_2.py' } },
      },
    });
    expect(byId.get(b!)!.data.attributes).toEqual({
      assets: [{ key: 'report_2' }],
      sql_template: { path: 'report_2.sql' },
      // A connection outside the snippet stays the project's own.
      connection: "{{ context.load_component('warehouse') }}",
    });
    expect(saved.graph.edges.filter((e) => e.source === a)).toEqual([
      { id: `e_${a}__${b}`, source: a, target: b },
    ]);
    expect(saved.graph.edges).toHaveLength(3);

    const second = await insert('piece');
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().renamed.map((r: { to: string }) => r.to)).toEqual(['load_3', 'report_3']);
    expect(existsSync(path.join(defs(), 'report_3', 'report_3.sql'))).toBe(true);
  });

  it('keeps a whole group of the selection and makes it again on insertion, under a free name', async () => {
    const grouped = await t.app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: {
        version: await currentVersion(),
        graph: { ...graph, groups: [{ id: 'g1', name: 'Ingest', color: 'green', members: ['n1', 'n2'] }] },
      },
    });
    expect(grouped.statusCode, grouped.body).toBe(200);
    stopBackground();
    const saved = await saveSnippet({ name: 'grouped', nodes: ['n1', 'n2', 'n3'] });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json().snippet.groups).toEqual(['Ingest']);
    // Part of the group: nodes only.
    const part = await saveSnippet({ name: 'part', nodes: ['n1'] });
    expect(part.json().snippet.groups).toBeUndefined();

    const inserted = await insert('grouped');
    expect(inserted.statusCode, inserted.body).toBe(200);
    expect(inserted.json().warnings).toContain(
      'The group Ingest is Ingest 2 here: the project has a group of that name.',
    );
    const after = (await t.app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile;
    const [a, b] = inserted.json().nodes as string[];
    expect(after.graph.groups).toEqual([
      { id: 'g1', name: 'Ingest', color: 'green', members: ['n1', 'n2'] },
      { id: `group_${a}`, name: 'Ingest 2', color: 'green', members: [a, b] },
    ]);
  });

  it('imports an exported snippet into another data folder and inserts it there', async () => {
    expect((await saveSnippet({ name: 'piece', nodes: ['n1', 'n2'] })).statusCode).toBe(201);
    const file = (await t.app.inject({ url: '/api/snippets/piece' })).json();
    const other = await makeTestApp();
    try {
      const imported = await other.app.inject({ method: 'POST', url: '/api/snippets', payload: file });
      expect(imported.statusCode, imported.body).toBe(201);
      expect(imported.json().files).toHaveLength(3);
      const again = await other.app.inject({ method: 'POST', url: '/api/snippets', payload: file });
      expect(again.statusCode).toBe(409);
      const named = await other.app.inject({
        method: 'POST',
        url: '/api/snippets?name=piece_copy',
        payload: file,
      });
      expect(named.statusCode).toBe(201);
      expect((await other.app.inject({ url: '/api/snippets' })).json()).toHaveLength(2);
      // Into a project whose workspace is not ready: a snippet with files is refused with a 409, nothing saved.
      const p = (
        await other.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Empty' } })
      ).json() as ProjectFile;
      const refused = await other.app.inject({
        method: 'POST',
        url: `/api/projects/${p.id}/snippets/piece/insert`,
        payload: { version: 1 },
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('workspace_missing');
    } finally {
      await other.close();
    }
  });

  it('answers bad input with a 4xx and the error shape, and changes nothing on disk', async () => {
    expect((await saveSnippet({ name: 'piece', nodes: ['n1', 'n2'] })).statusCode).toBe(201);
    const good = (await t.app.inject({ url: '/api/snippets/piece' })).json() as Snippet;
    const version = await currentVersion();
    const before = snapshot(t.dataDir);
    const withFile = (p: string, content = 'x') => ({
      ...good,
      name: 'evil',
      files: [{ node: good.nodes[0]!.id, path: p, content }],
    });
    const cases: Array<{
      name: string;
      request: InjectOptions;
      status: number;
      code: string;
    }> = [
      {
        name: 'a path climbing out',
        request: { method: 'POST', url: '/api/snippets', payload: withFile('../../../../x.py') },
        status: 400,
        code: 'invalid_snippet',
      },
      {
        name: 'an absolute path',
        request: { method: 'POST', url: '/api/snippets', payload: withFile('/tmp/x.py') },
        status: 400,
        code: 'invalid_snippet',
      },
      {
        name: 'a .env',
        request: { method: 'POST', url: '/api/snippets', payload: withFile('.env', 'A=1') },
        status: 400,
        code: 'invalid_snippet',
      },
      {
        name: 'a defs.yaml',
        request: { method: 'POST', url: '/api/snippets', payload: withFile('defs.yaml') },
        status: 400,
        code: 'invalid_snippet',
      },
      {
        name: 'not a snippet',
        request: { method: 'POST', url: '/api/snippets', payload: { hello: 'world' } },
        status: 400,
        code: 'invalid_snippet',
      },
      {
        name: 'a bad name in the file',
        request: { method: 'POST', url: '/api/snippets', payload: { ...good, name: '../x' } },
        status: 400,
        code: 'invalid_snippet',
      },
      {
        name: 'a bad name in the query',
        request: { method: 'POST', url: '/api/snippets?name=Bad%20Name', payload: good },
        status: 400,
        code: 'invalid_request',
      },
      {
        name: 'a file too big for the body limit',
        request: {
          method: 'POST',
          url: '/api/snippets',
          payload: withFile('big.sql', 'x'.repeat(3 * 1024 * 1024)),
        },
        status: 413,
        code: 'body_too_large',
      },
      {
        name: 'a file over the per-file limit',
        request: {
          method: 'POST',
          url: '/api/snippets',
          payload: withFile('big.sql', 'x'.repeat(300 * 1024)),
        },
        status: 400,
        code: 'invalid_snippet',
      },
      {
        name: 'not JSON',
        request: {
          method: 'POST',
          url: '/api/snippets',
          payload: '{',
          headers: { 'content-type': 'application/json' },
        },
        status: 400,
        code: 'invalid_json',
      },
      {
        name: 'save: a bad snippet name',
        request: {
          method: 'POST',
          url: `/api/projects/${project.id}/snippets`,
          payload: { name: 'Bad', nodes: ['n1'] },
        },
        status: 400,
        code: 'invalid_request',
      },
      {
        name: 'save: an unknown node',
        request: {
          method: 'POST',
          url: `/api/projects/${project.id}/snippets`,
          payload: { name: 'x', nodes: ['nope'] },
        },
        status: 400,
        code: 'unknown_node',
      },
      {
        name: 'save: no node',
        request: {
          method: 'POST',
          url: `/api/projects/${project.id}/snippets`,
          payload: { name: 'x', nodes: [] },
        },
        status: 400,
        code: 'invalid_request',
      },
      {
        name: 'export: a name with a dot',
        request: { url: '/api/snippets/..%2Fx' },
        status: 400,
        code: 'invalid_snippet_name',
      },
      {
        name: 'export: unknown',
        request: { url: '/api/snippets/nope' },
        status: 404,
        code: 'snippet_not_found',
      },
      {
        name: 'insert: unknown',
        request: {
          method: 'POST',
          url: `/api/projects/${project.id}/snippets/nope/insert`,
          payload: { version },
        },
        status: 404,
        code: 'snippet_not_found',
      },
      {
        name: 'insert: a stale version',
        request: {
          method: 'POST',
          url: `/api/projects/${project.id}/snippets/piece/insert`,
          payload: { version: version - 1 },
        },
        status: 409,
        code: 'stale_version',
      },
      {
        name: 'insert: an unknown field',
        request: {
          method: 'POST',
          url: `/api/projects/${project.id}/snippets/piece/insert`,
          payload: { version, files: [] },
        },
        status: 400,
        code: 'invalid_request',
      },
      {
        name: 'delete: unknown',
        request: { method: 'DELETE', url: '/api/snippets/nope' },
        status: 404,
        code: 'snippet_not_found',
      },
    ];
    for (const c of cases) {
      const res = await t.app.inject(c.request);
      expect(res.statusCode, `${c.name}: ${res.body}`).toBe(c.status);
      expect(res.json().error, c.name).toMatchObject({ code: c.code, message: expect.any(String) });
    }
    expect(snapshot(t.dataDir)).toEqual(before);

    // A folder under defs/ that no node owns is never written into: the new node takes the next name.
    mkdirSync(path.join(defs(), 'load_2'));
    writeFileSync(path.join(defs(), 'load_2', 'mine.py'), 'mine\n');
    const res = await insert('piece');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().renamed[0]).toEqual({ from: 'load', to: 'load_3' });
    expect(readdirSync(path.join(defs(), 'load_2'))).toEqual(['mine.py']);
  });

  it('deletes a snippet', async () => {
    expect((await saveSnippet({ name: 'piece', nodes: ['n3'] })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/snippets/piece' })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/snippets' })).json()).toEqual([]);
  });
});
