// A team's deployment in Chromium (issue 16, part B): add a deployment in the Deployments dialog (test the
// connection), pick it in the top bar, see its state on the nodes, launch a run there and read its logs in the
// Runs tab, then see the materialization on the node. The deployment is a real Dagster webserver reached by URL:
// the project's own local instance (dg dev), as any OSS webserver without auth.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { scriptNode } from '../helpers.js';
import { SCREENSHOTS, startSession, type Session } from './browser.js';

let s: Session;
let project: ProjectFile;
let webserverUrl: string;

beforeAll(async () => {
  s = await startSession();
  project = (
    await s.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Team pipelines' } })
  ).json();
  await s.app.services.workspaces.settle();
  const graph = {
    nodes: [
      { ...scriptNode('a', 'extract', 'raw/orders'), position: { x: 80, y: 120 } },
      { ...scriptNode('b', 'report', 'marts/report'), position: { x: 420, y: 120 } },
    ],
    edges: [{ id: 'e', source: 'a', target: 'b' }],
  };
  const put = await s.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: { version: 1, graph },
  });
  expect(put.statusCode).toBe(200);
  await s.app.inject({ method: 'POST', url: `/api/projects/${project.id}/sync` });
  const root = s.app.services.workspaces.requireReady(project.id);
  const defs = path.join(root, 'src', 'team_pipelines', 'defs');
  for (const label of ['extract', 'report'])
    writeFileSync(
      path.join(defs, label, `${label}.py`),
      `from dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.log.info("${label} on the team deployment")\n`,
    );
  webserverUrl = (await s.app.services.instances.ensure(project.id, root)).url;
}, 600_000);
afterAll(async () => {
  await s?.close();
});

describe('a deployment in the designer', () => {
  it('is added and tested, shows its state on the nodes, runs there with logs, and shows the result', async () => {
    const { page } = s;
    await page.goto(`${s.url}/#/projects/${project.id}`);
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Team pipelines');
    const preview = page.getByRole('button', { name: 'Preview', exact: true });
    await expect.poll(() => preview.isEnabled(), { timeout: 180_000 }).toBe(true);
    await preview.click();
    await expect
      .poll(() => page.getByTestId('asset-count').textContent(), { timeout: 180_000 })
      .toMatch(/^2 assets/);

    // Add the deployment in the dialog; the connection test says which location serves the project.
    await page.getByTestId('deployment-select').selectOption('__manage__');
    await page.getByRole('button', { name: 'Add deployment' }).click();
    await page.getByLabel('Deployment name').fill('Team OSS');
    await page.getByLabel('Deployment URL').fill(webserverUrl);
    await page.getByRole('button', { name: 'Add deployment' }).click();
    await expect
      .poll(() => page.getByTestId('deployment-test').textContent(), { timeout: 30_000 })
      .toMatch(/serves "team_pipelines"/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'deployments-dialog.png') });
    await page.getByRole('button', { name: 'Close' }).click();

    // Pick it: the nodes show the deployment's state (never materialized there yet).
    await page.getByTestId('deployment-select').selectOption({ label: 'Team OSS' });
    await expect
      .poll(() => page.getByTestId('deployment-state-extract').getAttribute('data-tone'), { timeout: 30_000 })
      .toBe('missing');
    await expect
      .poll(() => page.getByTestId('deployment-status').getAttribute('data-location'))
      .toBe('loaded');

    // Run there: the Runs tab follows the deployment's run and its logs.
    await page.locator('button[data-command="project.run"]').click();
    await expect
      .poll(() => page.getByTestId('runs-where').textContent(), { timeout: 30_000 })
      .toMatch(/on Team OSS/);
    await expect
      .poll(() => page.getByTestId('run-status').textContent(), { timeout: 240_000 })
      .toBe('SUCCESS');
    await expect
      .poll(() => page.getByLabel('Run logs').textContent(), { timeout: 30_000 })
      .toContain('report on the team deployment');
    await expect
      .poll(() => page.locator('.run-list button.active .run-status').textContent(), { timeout: 30_000 })
      .toBe('SUCCESS');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'deployments-run.png') });

    // The materializations show on the nodes, with the deployment's run.
    await expect
      .poll(() => page.getByTestId('deployment-state-report').getAttribute('data-tone'), { timeout: 60_000 })
      .toBe('ok');
    const title = await page.getByTestId('deployment-state-extract').getAttribute('title');
    const runs = (await s.app.inject({ method: 'GET', url: `/api/projects/${project.id}/runs` })).json<{
      runs: Array<{ runId: string }>;
    }>();
    expect(title).toContain(runs.runs[0]!.runId.slice(0, 8));
    await page.locator('.drawer-tabs [role="tab"]', { hasText: 'Assets' }).click();
    await expect.poll(() => page.getByTestId('deployment-assets').textContent()).toMatch(/On Team OSS/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'deployments-nodes.png') });
    expect(s.errors).toEqual([]);
  }, 600_000);
});
