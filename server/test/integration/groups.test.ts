// A canvas group that sets the Dagster group of its members, on the real toolchain: after a sync, `dg list defs
// --json` and the preview put the members' assets in that group and leave the others in theirs; ungrouping
// (which clears what the group set) puts them back in "default".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGroup,
  dagsterGroupName,
  withMembersGroupName,
  type Graph,
  type ProjectFile,
} from '@designer/shared';
import { makeTestApp, scriptNode, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
let root: string;

beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true });
  await t.app.services.catalogEnv.prepare();
  project = (
    await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Grouped' } })
  ).json();
  await t.app.services.workspaces.settle();
  const ws = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/workspace` })).json();
  expect(ws.status).toBe('ready');
  root = ws.path;
});
afterAll(async () => {
  t?.app.services.inspector.stop();
  await t?.close();
});

async function save(graph: Graph): Promise<void> {
  const current = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}` })).json();
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: { version: current.version, graph },
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** Asset key → group, as `dg list defs --json` and as the preview answer them. */
async function groupsNow(): Promise<{ listed: Record<string, string>; previewed: Record<string, string> }> {
  const sync = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/sync` });
  expect(sync.statusCode, sync.body).toBe(200);
  const result = await t.app.services.cli.listDefs(root);
  expect(result.exitCode, result.stderr).toBe(0);
  const assets = (JSON.parse(result.stdout) as { assets: Array<{ asset_key: string; group_name: string }> })
    .assets;
  const preview = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` });
  expect(preview.statusCode, preview.body).toBe(200);
  const previewed = (preview.json() as { assets: Array<{ key: string; group_name?: string }> }).assets;
  return {
    listed: Object.fromEntries(assets.map((a) => [a.asset_key, a.group_name])),
    previewed: Object.fromEntries(previewed.map((a) => [a.key, a.group_name ?? ''])),
  };
}

describe('a group sets the Dagster group of its members', () => {
  it('dg list defs and the preview show the group; ungroup puts the members back in default', async () => {
    const nodes = [
      scriptNode('n1', 'orders', 'raw/orders'),
      scriptNode('n2', 'customers', 'raw/customers'),
      scriptNode('n3', 'report', 'report'),
    ];
    const edges = [
      { id: 'e1', source: 'n1', target: 'n3' },
      { id: 'e2', source: 'n2', target: 'n3' },
    ];
    // What the canvas does on "Group" then "Set Dagster group for members" (web/src/groups/group-ops.ts).
    const groups = createGroup([], ['n1', 'n2'], { id: 'g1', name: 'Raw ingest', color: 'blue' }).map(
      (g) => ({
        ...g,
        dagster_group: true,
      }),
    );
    const grouped = [...withMembersGroupName(nodes, ['n1', 'n2'], dagsterGroupName('Raw ingest'))];
    await save({ nodes: grouped, edges, groups });
    const saved = (await t.app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile;
    expect(saved.graph.groups).toEqual(groups);

    const first = await groupsNow();
    const expected = { 'raw/orders': 'raw_ingest', 'raw/customers': 'raw_ingest', report: 'default' };
    expect(first.listed).toMatchObject(expected);
    expect(first.previewed).toMatchObject(expected);

    // Ungroup: the group goes and so does the group_name it set.
    await save({ nodes: [...withMembersGroupName(grouped, ['n1', 'n2'], null, 'raw_ingest')], edges });
    const after = await groupsNow();
    const back = { 'raw/orders': 'default', 'raw/customers': 'default', report: 'default' };
    expect(after.listed).toMatchObject(back);
    expect(after.previewed).toMatchObject(back);
  }, 600_000);

  it('refuses a save whose group names a node that does not exist', async () => {
    const current = (await t.app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile;
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: {
        version: current.version,
        graph: { ...current.graph, groups: [{ id: 'g9', name: 'Ghost', color: 'red', members: ['nope'] }] },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_graph');
    expect(res.json().error.message).toContain('"nope"');
  });
});
