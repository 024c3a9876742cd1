// Pull against real git: the designer pushes over an authenticated `git http-backend`, a teammate commits with
// plain git, the designer previews and applies the pull (fast-forward, then conflicts resolved both ways).
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Graph, ProjectFile, PullPreview } from '@designer/shared';
import { startGitHttpServer, type GitHttpServer } from '../git-http-server.js';
import {
  allText,
  makeTestApp,
  pipesScript,
  pushAsSomeoneElse,
  scriptNode,
  type TestApp,
} from '../helpers.js';

const TOKEN = 'ghp_PullToken_Q7x2NeverPersist';
const BRANCH = 'designer/team';
let t: TestApp;
let project: ProjectFile;
let http: GitHttpServer;
let remote: string;
const repos = mkdtempSync(path.join(os.tmpdir(), 'designer-pull-test-'));
const bare = path.join(repos, 'team.git');
const logLines: string[] = [];
const answers: string[] = [];
/** Where the designer pulls from (the token, once given, is remembered for this remote in memory). */
const target = () => ({ remote, branch: BRANCH, username: 'designer' });

const post = async (url: string, payload: object) => {
  const res = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}${url}`, payload });
  answers.push(res.body);
  return res;
};
const read = async (): Promise<ProjectFile> =>
  (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}` })).json();
const workspace = () => t.app.services.projects.workspaceOf(project.id);
const defsFile = (folder: string) => `src/${project.package_name}/defs/${folder}/defs.yaml`;
const inWorkspace = (rel: string) => readFileSync(path.join(workspace(), rel), 'utf8');
const tmpFolders = () =>
  readdirSync(os.tmpdir()).filter((n) => n.startsWith('designer-pull-') && n !== path.basename(repos));

async function save(graph: Graph): Promise<void> {
  const current = await read();
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: { version: current.version, graph },
  });
  expect(res.statusCode).toBe(200);
}

/** A teammate's commit, with plain git on a clone of the bare repository. */
function teammate(message: string, change: (clone: string) => void): void {
  pushAsSomeoneElse(bare, BRANCH, message, change);
}
const editIn = (clone: string, rel: string, from: string, to: string) => {
  const file = path.join(clone, rel);
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
};

beforeAll(async () => {
  const logStream = new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) });
  t = await makeTestApp({ createWorkspaces: true, logLevel: 'debug' }, { level: 'debug', stream: logStream });
  await t.app.services.catalogEnv.prepare();
  t.app.services.history!.options.squashMs = -1; // the pull is an entry of its own
  project = (
    await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Team pull' } })
  ).json();
  await t.app.services.workspaces.settle();
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch', 'main', bare]);
  http = await startGitHttpServer(repos, 'designer', TOKEN);
  remote = `${http.url}/team.git`;
  const extract = { ...scriptNode('n_extract', 'extract', 'raw/orders', { description: 'Raw orders' }) };
  extract.position = { x: 40, y: 60 };
  await save({ nodes: [extract], edges: [] });
  await t.app.services.sync.ensureSynced(await read(), workspace());
  writeFileSync(path.join(workspace(), `src/${project.package_name}/defs/extract/extract.py`), pipesScript());
  const pushed = await post('/git/push', { ...target(), token: TOKEN });
  expect(pushed.statusCode, pushed.body).toBe(200);
}, 240_000);

afterAll(async () => {
  await http?.close();
  await t?.close();
  rmSync(repos, { recursive: true, force: true });
});

describe('pull', () => {
  it('refuses what it cannot pull, changing nothing', async () => {
    const before = await read();
    const cases: Array<[object, number, string]> = [
      [{ ...target(), branch: 'no/such-branch' }, 404, 'branch_not_found'],
      [{ ...target(), token: 'wrong-token' }, 401, 'git_auth_failed'],
      [{ remote: 'ext::sh -c id', branch: BRANCH }, 400, 'invalid_remote'],
      [{ ...target(), branch: 'a..b' }, 400, 'invalid_branch'],
    ];
    for (const [body, status, code] of cases) {
      const res = await post('/pull/preview', body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    // The right token again for the rest of the file (kept in memory for this remote only).
    expect((await post('/pull/preview', { ...target(), token: TOKEN })).json()).toMatchObject({
      upToDate: true,
      files: [],
      conflicts: [],
    });
    const apply = await post('/pull/apply', {
      ...target(),
      head: 'f'.repeat(40),
      version: before.version,
    });
    expect(apply.statusCode).toBe(409);
    expect(apply.json().error.code).toBe('pull_branch_moved');
    expect((await read()).version).toBe(before.version);
    expect(tmpFolders()).toEqual([]);
  }, 60_000);

  it("previews and applies a teammate's edit and new node, keeping positions", async () => {
    teammate('Edit extract, add load', (clone) => {
      editIn(clone, defsFile('extract'), 'Raw orders', 'Raw orders from the shop');
      const load = path.join(clone, `src/${project.package_name}/defs/load`);
      mkdirSync(load, { recursive: true });
      writeFileSync(
        path.join(load, 'defs.yaml'),
        'type: dagster.PythonScriptComponent\nattributes:\n  assets:\n    - key: warehouse/orders\n      deps: [raw/orders]\n  execution:\n    path: load.py\n',
      );
      writeFileSync(path.join(load, 'load.py'), pipesScript('load'));
    });
    const before = await read();
    const preview: PullPreview = (await post('/pull/preview', target())).json();
    expect(preview.fastForward).toBe(true);
    expect(preview.conflicts).toEqual([]);
    expect(preview.commits.map((c) => c.subject)).toEqual(['Edit extract, add load']);
    expect(preview.files.map((f) => [f.path, f.status, f.outcome])).toEqual([
      [defsFile('extract'), 'modified', 'theirs'],
      [defsFile('load'), 'added', 'theirs'],
      [`src/${project.package_name}/defs/load/load.py`, 'added', 'theirs'],
    ]);
    expect(preview.files[0]!.diff).toContain('+      description: Raw orders from the shop');
    expect(preview.graph.added.map((n) => n.label)).toEqual(['load']);
    expect(preview.graph.changed.map((n) => n.label)).toEqual(['extract']);
    // Nothing on disk changed before apply.
    expect(existsSync(path.join(workspace(), defsFile('load')))).toBe(false);
    expect((await read()).version).toBe(before.version);

    const applied = await post('/pull/apply', {
      ...target(),
      head: preview.head,
      version: before.version,
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const after = await read();
    expect(after.version).toBe(applied.json().version);
    // The pulled version remembers the remote and branch (the designer has nothing left to save), token-free.
    expect(before.git_repo).toBeUndefined();
    expect(after).toMatchObject({ git_repo: remote, git_branch: BRANCH });
    const extract = after.graph.nodes.find((n) => n.id === 'n_extract')!;
    expect(extract.position).toEqual({ x: 40, y: 60 });
    expect(extract.data.attributes).toMatchObject({
      assets: [{ key: 'raw/orders', description: 'Raw orders from the shop' }],
    });
    const load = after.graph.nodes.find((n) => n.data.label === 'load')!;
    expect(load.data.attributes).toMatchObject({ assets: [{ key: 'warehouse/orders' }] });
    // The edge comes from the real dependency (raw/orders → warehouse/orders), as import finds it.
    expect(after.graph.edges.map((e) => [e.source, e.target])).toEqual([['n_extract', load.id]]);
    expect(inWorkspace(defsFile('load'))).toContain('warehouse/orders');
    // History has the pull as a version of its own.
    await t.app.services.history!.flushAll();
    const history = (
      await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/history` })
    ).json();
    expect(JSON.stringify(history)).toContain('added load');
    // A save after the pull does not rewrite the teammate's files.
    const synced = await t.app.services.sync.ensureSynced(after, workspace());
    expect(synced.changed).toEqual([]);
    expect((await post('/pull/preview', target())).json().upToDate).toBe(true);
    expect(tmpFolders()).toEqual([]);
  }, 180_000);

  it('shows a conflicting edit and resolves it with mine, with theirs and with an edited text', async () => {
    const conflictRound = async (mine: string, theirs: string) => {
      const current = await read();
      await save({
        ...current.graph,
        nodes: current.graph.nodes.map((n) =>
          n.id === 'n_extract'
            ? {
                ...n,
                data: {
                  ...n.data,
                  attributes: { ...n.data.attributes, assets: [{ key: 'raw/orders', description: mine }] },
                },
              }
            : n,
        ),
      });
      const previous = (await read()).graph.nodes.find((n) => n.id === 'n_extract')!.data.attributes;
      teammate(`Describe extract: ${theirs}`, (clone) => {
        const text = readFileSync(path.join(clone, defsFile('extract')), 'utf8');
        writeFileSync(
          path.join(clone, defsFile('extract')),
          text.replace(/description: .*/, `description: ${theirs}`),
        );
      });
      const preview: PullPreview = (await post('/pull/preview', target())).json();
      expect(preview.fastForward).toBe(false);
      expect(preview.conflicts.map((c) => c.path)).toEqual([defsFile('extract')]);
      expect(preview.conflicts[0]!.merged).toMatch(/<<<<<<< mine[\s\S]*=======[\s\S]*>>>>>>> theirs/);
      expect(preview.conflicts[0]!.mine).toContain(mine);
      expect(preview.conflicts[0]!.theirs).toContain(theirs);
      const version = (await read()).version;
      const refused = await post('/pull/apply', { ...target(), head: preview.head, version });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error).toMatchObject({
        code: 'pull_conflicts_unresolved',
        details: { paths: [defsFile('extract')] },
      });
      expect(inWorkspace(defsFile('extract'))).toContain(mine);
      expect((await read()).version).toBe(version);
      return { preview, version, previous };
    };

    const a = await conflictRound('Orders (mine)', 'Orders (theirs A)');
    const mine = await post('/pull/apply', {
      ...target(),
      head: a.preview.head,
      version: a.version,
      resolutions: [{ path: defsFile('extract'), choice: 'mine' }],
    });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(inWorkspace(defsFile('extract'))).toContain('Orders (mine)');
    const afterMine = (await read()).graph.nodes.find((n) => n.id === 'n_extract')!;
    expect(afterMine.data.attributes).toMatchObject({ assets: [{ description: 'Orders (mine)' }] });

    const b = await conflictRound('Orders (mine again)', 'Orders (theirs B)');
    const theirs = await post('/pull/apply', {
      ...target(),
      head: b.preview.head,
      version: b.version,
      resolutions: [{ path: defsFile('extract'), choice: 'theirs' }],
    });
    expect(theirs.statusCode, theirs.body).toBe(200);
    expect(inWorkspace(defsFile('extract'))).toContain('Orders (theirs B)');
    const afterTheirs = (await read()).graph.nodes.find((n) => n.id === 'n_extract')!;
    expect(afterTheirs.data.attributes).toMatchObject({ assets: [{ description: 'Orders (theirs B)' }] });
    expect(afterTheirs.position).toEqual({ x: 40, y: 60 });
    expect((await read()).graph.nodes.map((n) => n.data.label).sort()).toEqual(['extract', 'load']);

    // Edited: markers left in are refused; the edited text becomes the file and the node.
    const c = await conflictRound('Orders (mine C)', 'Orders (theirs C)');
    const edit = (text: string) =>
      post('/pull/apply', {
        ...target(),
        head: c.preview.head,
        version: c.version,
        resolutions: [{ path: defsFile('extract'), choice: 'edited', text }],
      });
    const markers = await edit(c.preview.conflicts[0]!.merged!);
    expect(markers.statusCode).toBe(400);
    expect(markers.json().error.code).toBe('pull_resolution_markers');
    const edited = await edit(c.preview.conflicts[0]!.theirs!.replace('Orders (theirs C)', 'Orders (both)'));
    expect(edited.statusCode, edited.body).toBe(200);
    expect(inWorkspace(defsFile('extract'))).toContain('Orders (both)');
    const afterEdit = (await read()).graph.nodes.find((n) => n.id === 'n_extract')!;
    expect(afterEdit.data.attributes).toMatchObject({ assets: [{ description: 'Orders (both)' }] });
    expect(tmpFolders()).toEqual([]);
  }, 240_000);

  it("puts dg's Dagster+ CI file in the push diff once the project has a Dagster+ deployment", async () => {
    const ci = '.github/workflows/dagster-plus-deploy.yml';
    const before = (await post('/git/diff', target())).json();
    expect(before.files.map((f: { path: string }) => f.path)).not.toContain(ci);
    const added = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/deployments`,
      payload: {
        name: 'Plus prod',
        kind: 'plus',
        url: 'https://acme.dagster.cloud',
        organization: 'acme',
        deployment: 'prod',
        auth: 'plus',
        tokenFrom: 'memory',
      },
    });
    expect(added.statusCode, added.body).toBe(201);
    const diff = (await post('/git/diff', target())).json();
    expect(diff.files).toContainEqual({ path: ci, status: 'added' });
    // dg's serverless GitHub template with configure_ci.py's substitutions (the action pinned to dg's version).
    expect(diff.diff).toContain('+  DAGSTER_CLOUD_ORGANIZATION: "acme"');
    expect(diff.diff).toContain('+  DAGSTER_CLOUD_URL: "https://acme.dagster.cloud"');
    expect(diff.diff).toContain('+          deployment: "prod"');
    expect(diff.diff).toContain('+  DAGSTER_PROJECT_DIR: "."');
    expect(diff.diff).toMatch(/dagster-cloud-action\/actions\/utils\/prerun@v1\.13\.\d+/);
    expect(diff.diff).not.toContain('TEMPLATE_');
    expect(existsSync(path.join(workspace(), '.github'))).toBe(false);
  }, 60_000);

  it('never writes the token to the data folder, a log or an answer', () => {
    expect(http.attempts.ok).toBeGreaterThan(0);
    expect(allText(t.dataDir)).not.toContain(TOKEN);
    expect(logLines.join('')).not.toContain(TOKEN);
    expect(answers.join('')).not.toContain(TOKEN);
    expect(readFileSync(path.join(bare, 'config'), 'utf8')).not.toContain(TOKEN);
  });
});
