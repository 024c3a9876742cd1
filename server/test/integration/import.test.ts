// Import from a folder, a ZIP and a Git repository, and the round trip import → export.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphNode, ProjectFile } from '@designer/shared';
import { makeTestApp, pipesScript, scriptNode, type TestApp } from '../helpers.js';

let t: TestApp;
let original: ProjectFile;
let zip: Buffer;
let badTarget: ProjectFile | undefined;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'designer-import-'));

async function newProject(name: string): Promise<ProjectFile> {
  const project = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name } })).json();
  await t.app.services.workspaces.settle();
  return project;
}

function unzip(buffer: Buffer, name: string): string {
  const file = path.join(scratch, `${name}.zip`);
  writeFileSync(file, buffer);
  const dir = path.join(scratch, name);
  execFileSync('python3', ['-m', 'zipfile', '-e', file, dir]);
  return path.join(dir, readdirSync(dir)[0]!);
}

/** Every file below a folder, relative path → bytes. */
function tree(dir: string, skip: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, entry);
    if (skip.includes(entry) || !statSync(full).isFile()) continue;
    out.set(entry, readFileSync(full, 'utf8'));
  }
  return out;
}

beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true });
  await t.app.services.catalogEnv.prepare();
  original = await newProject('Shop origin');
  const root = t.app.services.workspaces.requireReady(original.id);
  const graph = {
    nodes: [scriptNode('a', 'extract', 'raw/orders'), scriptNode('b', 'report', 'marts/report')],
    edges: [{ id: 'e', source: 'a', target: 'b' }],
  };
  expect(
    (
      await t.app.inject({
        method: 'PUT',
        url: `/api/projects/${original.id}`,
        payload: { version: 1, graph },
      })
    ).statusCode,
  ).toBe(200);
  expect(
    (await t.app.inject({ method: 'POST', url: `/api/projects/${original.id}/sync` })).json().problems,
  ).toEqual([]);
  const defs = path.join(root, 'src', 'shop_origin', 'defs');
  const file = path.join(defs, 'extract', 'defs.yaml');
  writeFileSync(file, `# Hand-written: the extraction runs first\n${readFileSync(file, 'utf8')}`);
  for (const label of ['extract', 'report'])
    writeFileSync(path.join(defs, label, `${label}.py`), pipesScript());
  zip = (await t.app.inject({ method: 'GET', url: `/api/projects/${original.id}/export.zip` })).rawPayload;
});
afterAll(async () => {
  t?.app.services.inspector.stop();
  await t?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('import', () => {
  it('imports a folder without a designer file: a node per defs folder, edges from the real dependencies, files untouched on export', async () => {
    const folder = unzip(zip, 'origin');
    rmSync(path.join(folder, 'dagster-designer.project.json'));
    const target = await newProject('Shop imported');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${target.id}/import`,
      payload: { source: 'folder', path: folder },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { project, problems, source } = res.json();
    expect(source).toBe('defs-folders');
    expect(problems).toEqual([]);
    expect(project.package_name).toBe('shop_origin');
    expect(project.graph.nodes.map((n: GraphNode) => [n.data.label, n.data.component_type])).toEqual([
      ['extract', 'dagster.PythonScriptComponent'],
      ['report', 'dagster.PythonScriptComponent'],
    ]);
    expect(project.graph.edges).toEqual([
      { id: 'e_node_extract__node_report', source: 'node_extract', target: 'node_report' },
    ]);
    const [extract, report] = project.graph.nodes;
    expect(report.position.x).toBeGreaterThan(extract.position.x);

    // Change nothing, export: every Dagster file is identical to the original, comments included.
    const exported = unzip(
      (await t.app.inject({ method: 'GET', url: `/api/projects/${target.id}/export.zip` })).rawPayload,
      'roundtrip',
    );
    const skip = ['README.md', 'dagster-designer.project.json'];
    const before = tree(folder, skip);
    const after = tree(exported, skip);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [file, text] of before) expect(after.get(file), file).toBe(text);
    expect(after.get('src/shop_origin/defs/extract/defs.yaml')).toContain(
      '# Hand-written: the extraction runs first',
    );
  });

  it('imports its own ZIP with the designer file: the same graph comes back', async () => {
    const target = await newProject('From zip');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${target.id}/import.zip`,
      payload: zip,
      headers: { 'content-type': 'application/zip' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().source).toBe('designer-file');
    const graph = res.json().project.graph;
    expect(graph.nodes.map((n: GraphNode) => n.id)).toEqual(['a', 'b']);
    expect(graph.edges).toEqual([{ id: 'e', source: 'a', target: 'b' }]);
  });

  it('imports from a Git repository', async () => {
    const bare = path.join(scratch, 'origin.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch', 'main', bare]);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/projects/${original.id}/git/push`,
          payload: { remote: bare, branch: 'main' },
        })
      ).statusCode,
    ).toBe(200);
    const target = await newProject('From git');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${target.id}/import`,
      payload: { source: 'git', remote: bare, branch: 'main' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().project.graph.nodes.map((n: GraphNode) => n.data.label)).toEqual(['extract', 'report']);
    expect(res.json().project.graph.edges).toHaveLength(1);
  });

  it('refuses a ZIP that would write outside the project, and writes nothing', async () => {
    const evil = path.join(scratch, 'evil.zip');
    execFileSync('python3', [
      '-c',
      `import zipfile\nwith zipfile.ZipFile(${JSON.stringify(evil)}, 'w') as z:\n    z.writestr('p/pyproject.toml', '[tool.dg]\\ndirectory_type = "project"\\n')\n    z.writestr('../../evil.txt', 'pwned')\n`,
    ]);
    const target = await newProject('Evil');
    const before = readFileSync(path.join(t.dataDir, `${target.id}.json`), 'utf8');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${target.id}/import.zip`,
      payload: readFileSync(evil),
      headers: { 'content-type': 'application/zip' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'invalid_zip',
      message: expect.stringContaining('outside the project'),
    });
    expect(existsSync(path.join(t.dataDir, '..', 'evil.txt'))).toBe(false);
    expect(readFileSync(path.join(t.dataDir, `${target.id}.json`), 'utf8')).toBe(before);
    expect(
      existsSync(path.join(t.dataDir, '.staging')) ? readdirSync(path.join(t.dataDir, '.staging')) : [],
    ).toEqual([]);
  });

  it.each([
    [{ source: 'folder', path: 'relative/path' }, 400, 'invalid_path'],
    [{ source: 'folder', path: '/definitely/not/here' }, 400, 'folder_not_found'],
    [{ source: 'folder', path: '/etc' }, 400, 'not_a_dagster_project'],
    [{ source: 'git', remote: '--upload-pack=touch /tmp/x' }, 400, 'invalid_remote'],
  ])('refuses %j', async (payload, status, code) => {
    badTarget ??= await newProject('Bad import');
    const target = badTarget;
    const res = await t.app.inject({ method: 'POST', url: `/api/projects/${target.id}/import`, payload });
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  it('only imports into an empty project', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${original.id}/import`,
      payload: { source: 'folder', path: scratch },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.hint).toContain('new project');
  });
});
