// An import (or a delete) sent while the project's workspace is still being created by create-dagster is refused
// with 409 and leaves the project whole; once the workspace is ready the same import works.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile, WorkspaceStatus } from '@designer/shared';
import { REPO_ROOT } from '../../src/config.js';
import { makeTestApp, type TestApp } from '../helpers.js';

let t: TestApp;
const FIXTURE = path.join(REPO_ROOT, 'fixtures', 'multi_doc');

/** Command lines of the processes that run something inside `dir` (its venv's Python, its scripts). */
const processesIn = (dir: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(dir));

beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true });
});
afterAll(async () => {
  t?.app.services.inspector.stop();
  await t?.close();
});

describe('operations racing the creation of a workspace', () => {
  it('import and delete during creation get 409; the project is then created and imports normally', async () => {
    const project = (
      await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Race' } })
    ).json() as ProjectFile;
    const workspace = () =>
      t.app.inject({ url: `/api/projects/${project.id}/workspace` }).then((r) => r.json() as WorkspaceStatus);
    expect((await workspace()).status).toBe('creating');

    const early = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/import`,
      payload: { source: 'folder', path: FIXTURE },
    });
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'workspace_creating' });
    expect(early.json().error.hint).toMatch(/ready/);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/projects/${project.id}` });
    expect(del.statusCode, del.body).toBe(409);

    await t.app.services.workspaces.settle();
    expect(await workspace()).toMatchObject({ status: 'ready' });

    const imported = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/import`,
      payload: { source: 'folder', path: FIXTURE },
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect((imported.json() as { project: ProjectFile }).project.package_name).toBe('multi_doc');
    expect(await workspace()).toMatchObject({ status: 'ready' });
    const files = (await t.app.inject({ url: `/api/projects/${project.id}/files` })).json() as Array<{
      path: string;
    }>;
    expect(files.map((f) => f.path)).toContain('src/multi_doc/definitions.py');

    // Deleting the project stops its warm inspector (started by a preview) and removes its workspace.
    const root = t.app.services.projects.workspaceOf(project.id);
    const preview = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(processesIn(root).length).toBeGreaterThan(0);
    const deleted = await t.app.inject({ method: 'DELETE', url: `/api/projects/${project.id}` });
    expect(deleted.statusCode, deleted.body).toBe(204);
    const deadline = Date.now() + 10_000;
    while (processesIn(root).length > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(processesIn(root)).toEqual([]);
    expect(existsSync(root)).toBe(false);
  });
});
