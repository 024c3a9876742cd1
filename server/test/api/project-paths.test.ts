// A path attribute that leads nowhere (here a Sling replication file) comes back from sync as a problem on the
// field, naming the folder Dagster reads it from and the file to write instead; the suggestion, written, clears it.
// The workspace is a stand-in (a `dg` that answers nothing): this is about the designer's own check.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem, ProjectFile } from '@designer/shared';
import { componentNode, makeTestApp, type TestApp } from '../helpers.js';

const SLING = 'dagster_sling.SlingReplicationCollectionComponent';
let t: TestApp;
let project: ProjectFile;

beforeAll(async () => {
  t = await makeTestApp();
  project = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Shop' } })).json();
  const root = t.app.services.projects.workspaceOf(project.id);
  mkdirSync(path.join(root, '.venv', 'bin'), { recursive: true });
  mkdirSync(path.join(root, '.venv', 'lib', 'python3.11', 'site-packages', 'dagster_sling'), {
    recursive: true,
  });
  writeFileSync(path.join(root, '.venv', 'bin', 'dg'), "#!/bin/sh\necho '[]'\n");
  chmodSync(path.join(root, '.venv', 'bin', 'dg'), 0o755);
  writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "shop"\n');
  mkdirSync(path.join(root, 'src', 'shop', 'defs', 'ingest'), { recursive: true });
  writeFileSync(path.join(root, 'src', 'shop', 'defs', 'ingest', 'defs.yaml'), `type: ${SLING}\n`);
  mkdirSync(path.join(root, 'sling'));
  writeFileSync(path.join(root, 'sling', 'replication.yaml'), 'source: A\ntarget: B\nstreams: {}\n');
});
afterAll(async () => {
  t.app.services.sync.stopTimers();
  await t.close();
});

async function syncWith(replicationPath: string): Promise<Problem[]> {
  const current = (await t.app.inject({ url: `/api/projects/${project.id}` })).json();
  const saved = await t.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: {
      version: current.version,
      graph: {
        nodes: [componentNode('n1', 'ingest', SLING, { replications: [{ path: replicationPath }] })],
        edges: [],
      },
    },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  const res = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/sync` });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().problems as Problem[]).filter((p) => p.field === 'replications.0.path');
}

describe('path attributes', () => {
  it('a replication file that is not where Dagster reads it: the folder it resolved to, and the fix', async () => {
    const [problem, ...more] = await syncWith('replication.yaml');
    expect(more).toEqual([]);
    expect(problem).toMatchObject({ severity: 'error', nodeId: 'n1' });
    expect(problem!.message).toContain(
      'resolves to src/shop/defs/ingest/replication.yaml, which does not exist',
    );
    expect(problem!.hint).toContain('read from the folder of its defs.yaml (src/shop/defs/ingest/)');
    expect(problem!.hint).toContain('Write "{{ context.project_root }}/sling/replication.yaml"');

    expect(await syncWith('{{ context.project_root }}/sling/replication.yaml')).toEqual([]);
  });
});
