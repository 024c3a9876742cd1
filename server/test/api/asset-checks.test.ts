// The asset-checks route refuses what the caller can fix, with the error shape, before any instance starts; a graph
// with check specs and an asset sensor is saved as the designer writes it (the project file keeps them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetSensorComponentType, readCheckSpecs, type GraphNode, type ProjectFile } from '@designer/shared';
import { makeTestApp, scriptNode, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
beforeAll(async () => {
  t = await makeTestApp(); // no workspaces are created: nothing here may reach Dagster
  project = (
    await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Checks' } })
  ).json();
});
afterAll(async () => t.close());

describe('asset checks route', () => {
  it('answers 409 with the error shape while the workspace is not ready', async () => {
    const res = await t.app.inject({ url: `/api/projects/${project.id}/asset-checks` });
    expect(res.statusCode, res.body).toBe(409);
    expect((res.json() as { error: { code: string; message: string } }).error.message).toBeTruthy();
  });

  it('answers 404 for a project that does not exist, 400 for an id that is too long', async () => {
    const missing = await t.app.inject({
      url: '/api/projects/0b6f1f7e-2a1c-4c1e-9a4f-3f1d2c3b4a5e/asset-checks',
    });
    expect(missing.statusCode).toBe(404);
    const long = await t.app.inject({ url: `/api/projects/${'a'.repeat(65)}/asset-checks` });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.code).toBe('invalid_request');
  });

  it('saves check specs and an asset sensor node as given', async () => {
    const orders = scriptNode('o', 'orders', 'raw/orders');
    orders.data.attributes.checks = [{ name: 'positive', asset: 'raw/orders', blocking: true }];
    const sensor: GraphNode = {
      id: 's',
      type: 'schedule',
      position: { x: 0, y: 0 },
      data: {
        label: 'on_prices',
        component_type: assetSensorComponentType(project.package_name),
        attributes: { asset_key: 'ext/prices', default_status: 'STOPPED' },
      },
    };
    const graph = { nodes: [orders, sensor], edges: [{ id: 'so', source: 's', target: 'o' }] };
    const saved = await t.app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: { version: 1, graph },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const back = (await t.app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile;
    expect(readCheckSpecs(back.graph.nodes.find((n) => n.id === 'o')!.data.attributes)).toEqual([
      { name: 'positive', asset: 'raw/orders', blocking: true },
    ]);
    expect(back.graph.nodes.find((n) => n.id === 's')).toMatchObject({ type: 'schedule' });
  });
});
