// Project history through the API, on a workspace folder laid out like create-dagster's (no toolchain needed):
// list, one version, diff, restore (also of a file edited by hand since), 409 on a stale version, bad ids, delete.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Graph, HistoryDiff, HistoryPage, ProjectFile } from '@designer/shared';
import { makeTestApp, scriptNode, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
let root: string;
const script = () => path.join(root, 'src', 'shop', 'defs', 'extract', 'extract.py');

beforeEach(async () => {
  t = await makeTestApp();
  t.app.services.history!.options.squashMs = -1; // one entry per write here; squashing has its own test
  project = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Shop' } })).json();
  root = t.app.services.projects.workspaceOf(project.id);
  mkdirSync(path.join(root, '.venv', 'bin'), { recursive: true });
  writeFileSync(path.join(root, '.venv', 'bin', 'dg'), '');
  writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "shop"\n');
  mkdirSync(path.dirname(script()), { recursive: true });
  writeFileSync(path.join(path.dirname(script()), 'defs.yaml'), 'type: dagster.PythonScriptComponent\n');
  writeFileSync(script(), 'print("v1")\n');
  writeFileSync(path.join(root, 'warehouse.duckdb'), Buffer.alloc(1000, 1)); // binary: never in the history
});
afterEach(async () => {
  t.app.services.sync.stopTimers();
  await t.close();
});

const url = (rest = '') => `/api/projects/${project.id}/history${rest}`;
async function save(graph: Graph): Promise<number> {
  const current = (await t.app.inject({ url: `/api/projects/${project.id}` })).json();
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: { version: current.version, graph },
  });
  expect(res.statusCode, res.body).toBe(200);
  // No background sync here (there is no real dg): it would write defs.yaml while the test compares the disk.
  t.app.services.sync.stopTimers();
  return res.json().version;
}
async function list(): Promise<HistoryPage> {
  const res = await t.app.inject({ url: url() });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
/** Every file under the data folder with its content hash (history included). */
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

const one = scriptNode('n1', 'extract', 'raw/orders');
const two: Graph = {
  nodes: [scriptNode('n1', 'extract', 'raw/customers'), scriptNode('n2', 'load', 'clean/orders')],
  edges: [{ id: 'e1', source: 'n1', target: 'n2' }],
};

describe('history API', () => {
  it('lists saves with summaries, shows a version, diffs two and restores one as a new save', async () => {
    await save({ nodes: [one], edges: [] });
    let page = await list();
    expect(page.total).toBe(1);
    expect(page.entries[0]).toMatchObject({ kind: 'save', version: 2, fromVersion: 1, saves: 2 });
    expect(page.entries[0]!.summary).toBe('created the project "Shop" with 1 node');
    const first = page.entries[0]!.commit;

    await save(two);
    page = await list();
    expect(page.entries[0]!.summary).toBe(
      'added load, edited extract.assets[0].key, added edge extract→load',
    );

    // A script edited through the files API is an entry of its own.
    const file = (
      await t.app.inject({ url: `/api/projects/${project.id}/files/src/shop/defs/extract/extract.py` })
    ).json();
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}/files/src/shop/defs/extract/extract.py`,
      headers: { 'if-match': file.hash },
      payload: { content: 'print("v2")\n' },
    });
    expect(put.statusCode, put.body).toBe(200);
    t.app.services.sync.stopTimers();
    page = await list();
    expect(page.total).toBe(3);
    expect(page.entries[0]).toMatchObject({
      kind: 'files',
      summary: 'edited src/shop/defs/extract/extract.py',
    });
    const third = page.entries[0]!.commit;

    // Paged.
    const paged = (await t.app.inject({ url: url('?offset=1&limit=1') })).json() as HistoryPage;
    expect(paged.entries.map((e) => e.commit)).toEqual([page.entries[1]!.commit]);

    const version = (await t.app.inject({ url: url(`/${first}`) })).json();
    expect(version.graph.nodes.map((n: { id: string }) => n.id)).toEqual(['n1']);
    expect(version.files).toContain('src/shop/defs/extract/extract.py');
    expect(version.files).toContain('pyproject.toml');
    expect(version.files).not.toContain('warehouse.duckdb');

    const diff = (await t.app.inject({ url: url(`/diff?from=${first}&to=${third}`) })).json() as HistoryDiff;
    expect(diff.graph.nodes.added).toEqual([{ id: 'n2', label: 'load' }]);
    expect(diff.graph.nodes.changed).toEqual([{ id: 'n1', label: 'extract', paths: ['assets[0].key'] }]);
    expect(diff.graph.edges.added).toEqual([{ source: 'n1', target: 'n2', label: 'extract→load' }]);
    const scriptDiff = diff.files.find((f) => f.path === 'src/shop/defs/extract/extract.py')!;
    expect(scriptDiff.status).toBe('modified');
    expect(scriptDiff.diff).toContain('-print("v1")\n+print("v2")');
    const back = (await t.app.inject({ url: url(`/diff?from=${third}&to=${first}`) })).json() as HistoryDiff;
    expect(back.graph.nodes.removed).toEqual([{ id: 'n2', label: 'load' }]);
    expect(back.removedNodes.map((n) => n.data.label)).toEqual(['load']);

    // The script is edited by hand, outside the designer; then a restore on a stale version changes nothing.
    writeFileSync(script(), 'print("by hand")\n');
    const before = snapshot(t.dataDir);
    const current = (await t.app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile;
    const stale = await t.app.inject({
      method: 'POST',
      url: url(`/${first}/restore`),
      payload: { version: current.version - 1 },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'stale_version',
      details: { currentVersion: current.version },
    });
    expect(snapshot(t.dataDir)).toEqual(before);

    const restored = await t.app.inject({
      method: 'POST',
      url: url(`/${first}/restore`),
      payload: { version: current.version },
    });
    expect(restored.statusCode, restored.body).toBe(200);
    t.app.services.sync.stopTimers();
    expect(restored.json()).toMatchObject({
      version: current.version + 1,
      restored: first,
      files: ['src/shop/defs/extract/extract.py'],
    });
    const now = (await t.app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile;
    expect(now.graph.nodes).toEqual([one]);
    expect(now.graph.edges).toEqual([]);
    expect(readFileSync(script(), 'utf8')).toBe('print("v1")\n');
    // The managed defs.yaml is left to sync (it follows the restored graph).

    // Nothing was lost: the hand edit is an entry of its own, before the restore.
    page = await list();
    expect(page.entries.slice(0, 2).map((e) => e.kind)).toEqual(['restore', 'before-restore']);
    expect(page.entries[0]!.summary).toMatch(
      /^restored the version of .* \(created the project "Shop" with 1 node\)$/,
    );
    expect(page.entries[0]!.version).toBe(current.version + 1);
    const kept = (
      await t.app.inject({
        url: url(`/diff?from=${page.entries[1]!.commit}&to=${page.entries[0]!.commit}`),
      })
    ).json() as HistoryDiff;
    expect(kept.files.find((f) => f.path.endsWith('extract.py'))!.diff).toContain(
      '-print("by hand")\n+print("v1")',
    );
  });

  it('refuses bad ids with a clear 400 (404 for an unknown entry), changing nothing on disk', async () => {
    await save({ nodes: [one], edges: [] });
    const { entries } = await list();
    const good = entries[0]!.commit;
    const before = snapshot(t.dataDir);
    const cases: [string, string, number, string, object?][] = [
      ['GET', url('/not-a-commit'), 400, 'invalid_commit'],
      ['GET', url(`/${'0'.repeat(40)}`), 404, 'history_entry_not_found'],
      ['GET', url(`/${good.toUpperCase()}`), 400, 'invalid_commit'],
      ['GET', url(`/diff?from=HEAD&to=${good}`), 400, 'invalid_commit'],
      ['GET', url(`/diff?from=${good}&to=--output=x`), 400, 'invalid_commit'],
      ['GET', url(`/diff?from=${good}`), 400, 'FST_ERR_VALIDATION'],
      ['GET', url('?limit=0'), 400, 'FST_ERR_VALIDATION'],
      ['GET', '/api/projects/not-a-uuid/history', 400, 'invalid_project_id'],
      [
        'GET',
        `/api/projects/${'1'.repeat(8)}-1111-4111-8111-${'1'.repeat(12)}/history`,
        404,
        'project_not_found',
      ],
      ['POST', url('/HEAD~1/restore'), 400, 'invalid_commit', { version: 2 }],
      ['POST', url(`/${'a'.repeat(40)}/restore`), 404, 'history_entry_not_found', { version: 2 }],
      ['POST', url(`/${good}/restore`), 400, 'FST_ERR_VALIDATION', {}],
    ];
    for (const [method, u, status, code, payload] of cases) {
      const res = await t.app.inject({ method: method as 'GET', url: u, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${u}: ${res.body}`).toBe(status);
      const error = res.json().error;
      if (code !== 'FST_ERR_VALIDATION') expect(error.code, u).toBe(code);
      expect(error.message.length, u).toBeGreaterThan(10);
    }
    expect(snapshot(t.dataDir)).toEqual(before);
  });

  it('a history that cannot be written never costs a save', async () => {
    // The repository's place is taken by a file: every history write fails.
    mkdirSync(path.join(t.dataDir, '.history'), { recursive: true });
    writeFileSync(path.join(t.dataDir, '.history', `${project.id}.git`), 'not a repository\n');
    t.app.services.history!.onError = () => undefined; // a timer's failure would only be logged
    const version = await save({ nodes: [one], edges: [] });
    await expect(t.app.services.history!.flush(project.id)).rejects.toThrow();
    const after = await save(two);
    expect(after).toBe(version + 1);
    const stored = JSON.parse(
      readFileSync(path.join(t.dataDir, `${project.id}.json`), 'utf8'),
    ) as ProjectFile;
    expect(stored.graph).toEqual(two);
    const res = await t.app.inject({ url: url() });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('history_git_failed');
  });

  it('restoring a version from before a rename restores the project name too', async () => {
    await save({ nodes: [one], edges: [] });
    const first = (await list()).entries[0]!.commit;
    const current = (await t.app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile;
    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/projects/${project.id}`,
      payload: { name: 'Shop renamed', version: current.version },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await list()).entries[0]!.summary).toBe('renamed the project to "Shop renamed"');
    const restored = await t.app.inject({
      method: 'POST',
      url: url(`/${first}/restore`),
      payload: { version: renamed.json().version },
    });
    expect(restored.statusCode, restored.body).toBe(200);
    const after = (await t.app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile;
    expect(after.name).toBe('Shop');
    expect(after.package_name).toBe(project.package_name);
  });

  it('deleting a project removes its history', async () => {
    await save({ nodes: [one], edges: [] });
    await list();
    const gitDir = path.join(t.dataDir, '.history', `${project.id}.git`);
    expect(statSync(gitDir).isDirectory()).toBe(true);
    await save(two); // pending when the project goes: never written
    const res = await t.app.inject({ method: 'DELETE', url: `/api/projects/${project.id}` });
    expect(res.statusCode).toBe(204);
    await new Promise((r) => setTimeout(r, 50));
    await t.app.services.history!.flushAll();
    expect(existsSync(gitDir)).toBe(false);
  });
});
