// Fixture multi_doc (two defs.yaml files holding several components each, with comments, and a project-local
// component) through import, palette, preview, edit, add and export, on the real toolchain.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import {
  followRename,
  withoutDocuments,
  type Asset,
  type GraphNode,
  type ProjectFile,
} from '@designer/shared';
import { documentSlices } from '../../src/services/defs-yaml-documents.js';
import { fileOnBranch, filesBelow, seedBareRepository, zipEntries } from '../hand-over.js';
import { makeTestApp, scriptNode, type TestApp } from '../helpers.js';

const FIXTURE = path.resolve(__dirname, '../../../fixtures/multi_doc');
const LOCAL_COMPONENT = 'multi_doc.components.shell_greeting.ShellGreeting';
const INGEST = 'src/multi_doc/defs/ingest/defs.yaml';
const REPORTS = 'src/multi_doc/defs/reports/defs.yaml';

let t: TestApp;
let project: ProjectFile;
let root: string;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'designer-multidoc-'));
const TEAM_REPO = path.join(scratch, 'team.git');
const TEAM_ONLY = 'src/multi_doc/defs/ingest/secrets.md';

const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');
const byLabel = (label: string) => project.graph.nodes.find((n) => n.data.label === label)!;

async function save(graph: ProjectFile['graph']): Promise<void> {
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: { version: project.version, graph },
  });
  expect(res.statusCode, res.body).toBe(200);
  project = { ...project, graph, version: res.json().version };
}

async function previewed(): Promise<{ assets: Asset[]; problems: unknown[] }> {
  const res = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** The keys of the assets something defines (not the external ones that only appear as a dependency). */
const executable = (assets: Array<{ key?: string; asset_key?: string; is_executable?: boolean }>) =>
  assets
    .filter((a) => a.is_executable)
    .map((a) => a.key ?? a.asset_key!)
    .sort();

async function listDefs(): Promise<{
  assets: Array<{ asset_key: string; description?: string; is_executable: boolean }>;
}> {
  const result = await t.app.services.cli.listDefs(root);
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

beforeAll(async () => {
  // No workspace is created first: the imported folder becomes the workspace (uv sync makes its .venv).
  t = await makeTestApp();
  const created = (
    await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Multi doc' } })
  ).json();
  const source = path.join(scratch, 'multi_doc');
  cpSync(FIXTURE, source, { recursive: true });
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/projects/${created.id}/import`,
    payload: { source: 'folder', path: source },
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().problems).toEqual([]);
  project = res.json().project;
  root = t.app.services.workspaces.requireReady(project.id);
}, 300_000);

afterAll(async () => {
  t?.app.services.inspector.stop();
  await t?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('a project whose defs.yaml files hold several components', () => {
  it('imports one node per YAML document, with edges from the real dependencies', () => {
    const nodes = project.graph.nodes.map((n: GraphNode) => [
      n.data.label,
      n.data.component_type,
      n.data.defined_at,
    ]);
    expect(nodes).toEqual([
      ['raw_customers', 'dagster.PythonScriptComponent', { path: 'ingest/defs.yaml', document: 0 }],
      ['raw_orders', 'dagster.PythonScriptComponent', { path: 'ingest/defs.yaml', document: 1 }],
      ['greeting', LOCAL_COMPONENT, { path: 'ingest/defs.yaml', document: 2 }],
      ['customer_report', 'dagster.PythonScriptComponent', { path: 'reports/defs.yaml', document: 0 }],
      ['weekly_summary', 'dagster.PythonScriptComponent', { path: 'reports/defs.yaml', document: 1 }],
    ]);
    const label = (id: string) => project.graph.nodes.find((n) => n.id === id)!.data.label;
    expect(project.graph.edges.map((e) => `${label(e.source)} → ${label(e.target)}`).sort()).toEqual([
      'customer_report → weekly_summary',
      'raw_customers → customer_report',
      'raw_customers → greeting',
      'raw_orders → customer_report',
    ]);
  });

  it('offers the project-local component in the palette, with its real schema', async () => {
    const list = await t.app.inject({ method: 'GET', url: `/api/components?project=${project.id}` });
    expect(list.statusCode, list.body).toBe(200);
    const local = list.json().components.find((c: { type: string }) => c.type === LOCAL_COMPONENT);
    expect(local).toMatchObject({
      category: 'project',
      name: 'Shell Greeting',
      summary: 'An asset that writes a greeting.',
    });
    const schema = await t.app.inject({
      method: 'GET',
      url: `/api/components/${LOCAL_COMPONENT}/schema?project=${project.id}`,
    });
    expect(schema.statusCode, schema.body).toBe(200);
    expect(Object.keys(schema.json().schema.properties).sort()).toEqual(['asset_key', 'deps', 'greeting']);
    // Asked again: answered from the cache (keyed by uv.lock, pyproject.toml and the component sources).
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/components?project=${project.id}` })).json().cached,
    ).toBe(true);
  });

  it('puts every definition on the node of its document, as dg list defs lists them', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` });
    expect(res.statusCode, res.body).toBe(200);
    const { assets, problems } = res.json() as { assets: Asset[]; problems: unknown[] };
    expect(problems).toEqual([]);
    const owner = Object.fromEntries(
      assets.map((a) => [a.key, project.graph.nodes.find((n) => n.id === a.nodeId)?.data.label]),
    );
    expect(owner).toEqual({
      raw_customers: 'raw_customers',
      raw_orders: 'raw_orders',
      greeting: 'greeting',
      customer_report: 'customer_report',
      weekly_summary: 'weekly_summary',
    });
    expect(assets.map((a) => a.key).sort()).toEqual((await listDefs()).assets.map((a) => a.asset_key).sort());
  });

  it('exports the imported files byte for byte, README included, and a push to the team repository changes nothing', async () => {
    const zip = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/export.zip` }))
      .rawPayload;
    const { files } = zipEntries(zip);
    const original = filesBelow(FIXTURE);
    expect([...files.keys()].sort()).toEqual([...original.keys(), 'dagster-designer.project.json'].sort());
    for (const [rel, bytes] of original) expect(files.get(rel)?.equals(bytes), rel).toBe(true);

    // The team's repository holds the very files imported: a push has nothing to commit, README.md stays theirs,
    // and so does a file in the package that the designer never hands over (a secret-looking name).
    const team = path.join(scratch, 'team');
    cpSync(FIXTURE, team, { recursive: true });
    writeFileSync(path.join(team, TEAM_ONLY), 'Where the API keys live: ask the data team.\n');
    seedBareRepository(TEAM_REPO, team);
    const pushed = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/git/push`,
      payload: { remote: TEAM_REPO, branch: 'main' },
    });
    expect(pushed.statusCode, pushed.body).toBe(200);
    expect(pushed.json()).toMatchObject({ commit: null, files: [] });
    expect(fileOnBranch(TEAM_REPO, 'main', 'README.md').equals(original.get('README.md')!)).toBe(true);
  });

  it('an edit of one document (project PUT + preview, as the UI does) changes only that document', async () => {
    const ingestBefore = read(INGEST);
    const reportsBefore = read(REPORTS);
    const node = byLabel('raw_orders');
    const assets = node.data.attributes.assets as Array<Record<string, unknown>>;
    const edited: GraphNode = {
      ...node,
      data: {
        ...node.data,
        attributes: { ...node.data.attributes, assets: [{ ...assets[0], description: 'Orders, edited' }] },
      },
    };
    await save({ ...project.graph, nodes: project.graph.nodes.map((n) => (n.id === node.id ? edited : n)) });
    const previewed = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` });
    expect(previewed.statusCode, previewed.body).toBe(200);
    expect(previewed.json().problems).toEqual([]);
    expect(previewed.json().changed).toEqual([INGEST]);
    expect(previewed.json().assets.find((a: Asset) => a.key === 'raw_orders').description).toBe(
      'Orders, edited',
    );

    expect(read(REPORTS)).toBe(reportsBefore);
    const before = documentSlices(ingestBefore);
    const after = documentSlices(read(INGEST));
    expect(after).toHaveLength(3);
    expect(after[0]!.text).toBe(before[0]!.text);
    expect(after[2]!.text).toBe(before[2]!.text);
    expect(after[1]!.text).not.toBe(before[1]!.text);
    expect(after[1]!.text).toContain("# Orders come from the shop's export.");
    expect(after[1]!.text).toContain('description: Orders, edited');

    // Pushed: that one file changes on the team's branch; their README and everything else keep their bytes.
    const pushed = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/git/push`,
      payload: { remote: TEAM_REPO, branch: 'main', message: 'Orders, edited' },
    });
    expect(pushed.statusCode, pushed.body).toBe(200);
    expect(pushed.json().files).toEqual([{ path: INGEST, status: 'modified' }]);
    expect(fileOnBranch(TEAM_REPO, 'main', INGEST).toString('utf8')).toBe(read(INGEST));
    expect(
      fileOnBranch(TEAM_REPO, 'main', 'README.md').equals(readFileSync(path.join(FIXTURE, 'README.md'))),
    ).toBe(true);
    expect(fileOnBranch(TEAM_REPO, 'main', TEAM_ONLY).toString('utf8')).toContain('API keys');
  });

  it('adding a node beside them never rewrites the multi-document files', async () => {
    const ingestBefore = read(INGEST);
    const reportsBefore = read(REPORTS);
    const added = scriptNode('node_added', 'audit', 'audit');
    await save({
      ...project.graph,
      nodes: [...project.graph.nodes, added],
      edges: [
        ...project.graph.edges,
        { id: 'e_added', source: byLabel('weekly_summary').id, target: 'node_added' },
      ],
    });
    const previewed = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` });
    expect(previewed.statusCode, previewed.body).toBe(200);
    expect(previewed.json().problems).toEqual([]);
    expect(read(INGEST)).toBe(ingestBefore);
    expect(read(REPORTS)).toBe(reportsBefore);

    // The real toolchain on the workspace agrees: the edited document and the new node are both there.
    const listed = await listDefs();
    expect(listed.assets.find((a) => a.asset_key === 'raw_orders')?.description).toBe('Orders, edited');
    expect(listed.assets.map((a) => a.asset_key).sort()).toEqual([
      'audit',
      'customer_report',
      'greeting',
      'raw_customers',
      'raw_orders',
      'weekly_summary',
    ]);
  });

  it('refuses a new node that would take the folder of a multi-document file', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: {
        version: project.version,
        graph: {
          ...project.graph,
          nodes: [...project.graph.nodes, scriptNode('node_clash', 'ingest', 'clash')],
        },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('defs/ingest/');
  });

  it('renaming a document node renames it, and its key that followed its name, where it is: the document stays in its file', async () => {
    const before = documentSlices(read(INGEST)).map((x) => x.text);
    const node = byLabel('raw_orders');
    const renamed: GraphNode = {
      ...node,
      data: {
        ...node.data,
        label: 'orders',
        attributes: followRename(node.data.attributes, 'raw_orders', 'orders'),
      },
    };
    await save({ ...project.graph, nodes: project.graph.nodes.map((n) => (n.id === node.id ? renamed : n)) });
    const p = await previewed();
    expect(p.problems).toEqual([]);
    const after = documentSlices(read(INGEST)).map((x) => x.text);
    expect([after[0], after[2]]).toEqual([before[0], before[2]]);
    expect(after[1]).toBe(before[1]!.replace('- key: raw_orders', '- key: orders'));
    expect(existsSync(path.join(root, 'src/multi_doc/defs/orders'))).toBe(false);
    expect(p.assets.find((a) => a.key === 'orders')?.nodeId).toBe(node.id);
    // (customer_report still names raw_orders in its own deps, so Dagster keeps it as an external asset.)
    expect(executable(p.assets)).toEqual([
      'audit',
      'customer_report',
      'greeting',
      'orders',
      'raw_customers',
      'weekly_summary',
    ]);
  });

  it('deleting a document node removes its document only; an undo puts it back byte for byte', async () => {
    const full = read(INGEST);
    const before = documentSlices(full).map((x) => x.text);
    const withIt = project.graph;
    const gone = byLabel('orders').id;
    await save({
      nodes: withoutDocuments(withIt.nodes, new Set([gone])),
      edges: withIt.edges.filter((e) => e.source !== gone && e.target !== gone),
    });
    expect(byLabel('greeting').data.defined_at).toEqual({ path: 'ingest/defs.yaml', document: 1 });
    const p = await previewed();
    expect(p.problems).toEqual([]);
    expect(read(INGEST)).toBe(before[0]! + before[2]!);
    expect(p.assets.find((a) => a.key === 'greeting')?.nodeId).toBe(byLabel('greeting').id);
    expect(executable((await listDefs()).assets)).toEqual([
      'audit',
      'customer_report',
      'greeting',
      'raw_customers',
      'weekly_summary',
    ]);
    expect(existsSync(path.join(root, 'src/multi_doc/defs/ingest/load_orders.py'))).toBe(true);

    await save(withIt); // undo: the graph as it was
    expect((await previewed()).problems).toEqual([]);
    expect(read(INGEST)).toBe(full);
  });

  it('deleting every document of a file removes the file and its folder (kept aside); an undo brings them back', async () => {
    const reports = path.join(root, 'src/multi_doc/defs/reports');
    const text = read(REPORTS);
    const withThem = project.graph;
    const gone = new Set([byLabel('customer_report').id, byLabel('weekly_summary').id]);
    await save({
      nodes: withoutDocuments(withThem.nodes, gone),
      edges: withThem.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
    });
    const p = await previewed();
    expect(p.problems).toEqual([]);
    expect(existsSync(reports)).toBe(false);
    expect(executable(p.assets)).toEqual(['audit', 'greeting', 'orders', 'raw_customers']);
    expect(executable((await listDefs()).assets)).toEqual(executable(p.assets));

    await save(withThem);
    expect((await previewed()).problems).toEqual([]);
    expect(read(REPORTS)).toBe(text);
    expect(existsSync(path.join(reports, 'weekly_summary.py'))).toBe(true);
  });
});
