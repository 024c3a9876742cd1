// Pull routes without the toolchain: validation, unknown project, a workspace not ready, a missing branch and
// a stale version; each refusal leaves the data folder as it was and no scratch folder behind.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { makeTestApp, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
let notReady: ProjectFile;
const repos = mkdtempSync(path.join(os.tmpdir(), 'designer-pull-api-'));
const bare = path.join(repos, 'team.git');

function folderHash(dir: string): string {
  const out: string[] = [];
  for (const entry of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isFile())
      out.push(`${entry} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`);
  }
  return out.join('\n');
}
const scratch = () => readdirSync(os.tmpdir()).filter((n) => /^designer-pull-(?!api-)/.test(n));

beforeAll(async () => {
  t = await makeTestApp();
  project = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Shop' } })).json();
  notReady = (
    await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Later' } })
  ).json();
  // A workspace laid out like create-dagster's, so the project reads ready without the toolchain.
  const root = t.app.services.projects.workspaceOf(project.id);
  mkdirSync(path.join(root, '.venv', 'bin'), { recursive: true });
  writeFileSync(path.join(root, '.venv', 'bin', 'dg'), '');
  writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "shop"\n');
  mkdirSync(path.join(root, 'src', 'shop', 'defs'), { recursive: true });
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch', 'main', bare]);
});
afterAll(async () => {
  t.app.services.sync.stopTimers();
  await t.close();
  rmSync(repos, { recursive: true, force: true });
});

const post = (id: string, what: 'preview' | 'apply', payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/projects/${id}/pull/${what}`, payload });

describe('pull API', () => {
  it('refuses bad requests with a clear 4xx and changes nothing', async () => {
    // A first preview syncs the workspace (as a push's diff does); what the pull itself writes is compared after.
    expect((await post(project.id, 'preview', { remote: bare, branch: 'main' })).statusCode).toBe(404);
    await t.app.services.history!.flushAll(); // the project's creation reaches History off the request's path
    const before = folderHash(t.dataDir);
    const head = 'a'.repeat(40);
    const cases: Array<[string, 'preview' | 'apply', object, number, string]> = [
      [project.id, 'preview', { branch: 'main' }, 400, 'invalid_request'],
      [project.id, 'preview', { remote: bare, branch: 'main', extra: 1 }, 400, 'invalid_request'],
      [
        project.id,
        'apply',
        { remote: bare, branch: 'main', head: 'nothex', version: 1 },
        400,
        'invalid_request',
      ],
      [
        project.id,
        'apply',
        { remote: bare, branch: 'main', head, version: 1, resolutions: [{ path: 'a', choice: 'both' }] },
        400,
        'invalid_request',
      ],
      [project.id, 'preview', { remote: 'ext::sh -c id', branch: 'main' }, 400, 'invalid_remote'],
      [project.id, 'preview', { remote: bare, branch: '--upload-pack=x' }, 400, 'invalid_branch'],
      [project.id, 'preview', { remote: bare, branch: 'main', token: 'a\nb' }, 400, 'invalid_token'],
      [
        '00000000-0000-4000-8000-000000000000',
        'preview',
        { remote: bare, branch: 'main' },
        404,
        'project_not_found',
      ],
      [notReady.id, 'preview', { remote: bare, branch: 'main' }, 409, 'workspace_missing'],
      [project.id, 'preview', { remote: bare, branch: 'main' }, 404, 'branch_not_found'],
      [
        project.id,
        'apply',
        { remote: bare, branch: 'main', head, version: project.version + 5 },
        409,
        'stale_version',
      ],
      [
        project.id,
        'apply',
        { remote: bare, branch: 'main', head, version: project.version },
        404,
        'branch_not_found',
      ],
    ];
    for (const [id, what, body, status, code] of cases) {
      const res = await post(id, what, body);
      expect(res.statusCode, `${what} ${JSON.stringify(body)}: ${res.body}`).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    expect(folderHash(t.dataDir)).toBe(before);
    expect(scratch()).toEqual([]);
  });
});
