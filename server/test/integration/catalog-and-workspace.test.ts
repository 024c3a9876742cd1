// The real toolchain: create-dagster, uv, dg. The catalog environment is prepared by `npm test`'s set-up.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true });
  await t.app.services.catalogEnv.prepare();
});
afterAll(async () => t?.close());

async function waitForWorkspace(
  id: string,
  timeoutMs = 300_000,
): Promise<{ status: string; message?: string; path: string }> {
  const deadline = Date.now() + timeoutMs;
  const steps = new Set<string>();
  for (;;) {
    const ws = (await t.app.inject({ method: 'GET', url: `/api/projects/${id}/workspace` })).json();
    if (ws.step) steps.add(ws.step);
    if (ws.status === 'ready' || ws.status === 'error') return { ...ws, steps: [...steps] };
    if (Date.now() > deadline) throw new Error(`workspace still ${ws.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('component catalog on the real environment', () => {
  it('lists what `dg list components` lists, with categories and real schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/components' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      components: Array<{ type: string; category: string; summary: string; name: string }>;
      source: string;
    };
    const types = body.components.map((c) => c.type);
    expect(types).toContain('dagster_dbt.DbtProjectComponent');
    expect(types).toContain('dagster.PythonScriptComponent');
    expect(types).toContain('dagster_sling.SlingReplicationCollectionComponent');
    expect(body.components.find((c) => c.type === 'dagster_dbt.DbtProjectComponent')).toMatchObject({
      category: 'dbt',
      name: 'Dbt Project',
    });

    const cli = await t.app.services.cli.listComponents(t.app.services.catalogEnv.root);
    expect(types.sort()).toEqual(cli.map((c) => c.key).sort());

    for (const type of ['dagster_dbt.DbtProjectComponent', 'dagster.PythonScriptComponent']) {
      const schema = await t.app.inject({ method: 'GET', url: `/api/components/${type}/schema` });
      expect(schema.statusCode).toBe(200);
      const props = Object.keys(schema.json().schema.properties ?? {});
      expect(props.length).toBeGreaterThan(0);
      if (type.includes('Dbt')) expect(props).toContain('project');
      else expect(props).toEqual(expect.arrayContaining(['assets', 'execution']));
    }
  });

  it('matches `dg utils inspect-component --defs-yaml-json-schema` exactly', async () => {
    const type = 'dagster.PythonScriptComponent';
    const ours = (await t.app.inject({ method: 'GET', url: `/api/components/${type}/schema` })).json();
    const theirs = JSON.parse(
      await t.app.services.cli.inspectComponent(
        t.app.services.catalogEnv.root,
        type,
        '--defs-yaml-json-schema',
      ),
    );
    expect(ours.defsYamlSchema).toEqual(theirs);
  });

  it('answers warm requests from the cache, without Python', async () => {
    await t.app.inject({ method: 'GET', url: '/api/components' });
    const warm = (await t.app.inject({ method: 'GET', url: '/api/components' })).json();
    expect(warm.cached).toBe(true);
    expect(warm.durationMs).toBeLessThan(50);
  });

  it('gives an unknown type a 404 with the nearest names', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/components/dagster.PythonScriptComponnet/schema',
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'unknown_component' });
    expect(res.json().error.hint).toContain('dagster.PythonScriptComponent');
  });
});

describe('project workspace on the real create-dagster', () => {
  it('creates a real Dagster project in the background and lists its components', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      payload: { name: 'Orders Pipeline' },
    });
    expect(created.statusCode).toBe(201);
    const project = created.json();
    const first = (
      await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/workspace` })
    ).json();
    expect(['creating', 'ready']).toContain(first.status);

    const early = await t.app.inject({ method: 'GET', url: `/api/components?project=${project.id}` });
    if (early.statusCode !== 200) expect(early.json().error.code).toBe('workspace_creating');

    const ws = await waitForWorkspace(project.id);
    expect(ws).toMatchObject({ status: 'ready' });
    const dir = path.join(t.dataDir, project.id);
    const pyproject = readFileSync(path.join(dir, 'pyproject.toml'), 'utf8');
    expect(pyproject).toContain('directory_type = "project"');
    expect(pyproject).toContain('"dagster==1.13.27"');
    expect(existsSync(path.join(dir, 'src', 'orders_pipeline', 'definitions.py'))).toBe(true);
    expect(existsSync(path.join(dir, 'src', 'orders_pipeline', 'defs'))).toBe(true);
    expect(existsSync(path.join(dir, '.venv', 'bin', 'dg'))).toBe(true);
    const staging = path.join(t.dataDir, '.staging');
    expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);

    const comps = await t.app.inject({ method: 'GET', url: `/api/components?project=${project.id}` });
    expect(comps.statusCode).toBe(200);
    const types = comps.json().components.map((c: { type: string }) => c.type);
    expect(types).toContain('dagster.PythonScriptComponent');
    expect(types).not.toContain('dagster_dbt.DbtProjectComponent');
    expect(comps.json().source).toBe('project');
  });
});
