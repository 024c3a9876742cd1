// A team's deployment in Chromium (issue 16), on a real Dagster OSS deployment (server/test/support/
// oss-deployment.ts: PostgreSQL storage, webserver, daemon, a code server on the checkout of the branch the
// designer pushes to, behind a proxy that demands a bearer token). The team's deployment already serves the
// project's branch; through the UI only, the user adds the deployment (token in the password field) and sees the
// connection test, pushes a change, reloads the deployment, sees its state on the nodes, launches a run there and
// follows it to SUCCESS with the deployment's own run id, then pulls a teammate's new node, which the deployment
// serves after a reload. One deployment for the file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { allText, pipesScript, pushAsSomeoneElse, scriptNode } from '../helpers.js';
import { startOssDeployment, type OssDeployment } from '../support/oss-deployment.js';
import { SCREENSHOTS, startSession, type Session } from './browser.js';

const TOKEN = 'dgp_E2eTeamToken_9Qz3OnlyInMemory';
let s: Session;
let project: ProjectFile;
let oss: OssDeployment;

/** The deployment's own word on its runs (its GraphQL, not the designer's): ids and statuses, newest first. */
async function deploymentRuns(): Promise<Array<{ runId: string; status: string }>> {
  const res = await fetch(`${oss.webserverUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ runsOrError { ... on Runs { results { runId status } } } }' }),
  });
  return (
    (await res.json()) as { data: { runsOrError: { results: Array<{ runId: string; status: string }> } } }
  ).data.runsOrError.results;
}

beforeAll(async () => {
  s = await startSession();
  project = (
    await s.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Team pipelines' } })
  ).json();
  // The deployment starts while the designer creates the project's workspace; both are waited for, so afterAll
  // stops a deployment that did start.
  const [started, ready] = await Promise.allSettled([
    startOssDeployment({ packageName: project.package_name, token: TOKEN }),
    s.app.services.workspaces.settle(),
  ]);
  if (started.status === 'fulfilled') oss = started.value;
  for (const result of [started, ready]) if (result.status === 'rejected') throw result.reason;
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
  expect(put.statusCode, put.body).toBe(200);
  await s.app.inject({ method: 'POST', url: `/api/projects/${project.id}/sync` });
  // Where the team is before the user starts: the branch holds the project and the deployment serves it.
  const pushed = await s.app.inject({
    method: 'POST',
    url: `/api/projects/${project.id}/git/push`,
    payload: { remote: oss.repo, branch: oss.branch },
  });
  expect(pushed.statusCode, pushed.body).toBe(200);
  const state = await oss.reloadLocation();
  expect(state.error, oss.output().slice(-3000)).toBeUndefined();
  // The user's change since: the scripts now say where they run (pushed through the UI below).
  const defs = path.join(
    s.app.services.workspaces.requireReady(project.id),
    'src',
    project.package_name,
    'defs',
  );
  for (const label of ['extract', 'report'])
    writeFileSync(path.join(defs, label, `${label}.py`), pipesScript(`${label} on the team deployment`));
}, 600_000);
afterAll(async () => {
  await oss?.stop();
  await s?.close();
});

describe('a team deployment in the designer', () => {
  it('is added with its token and tested, takes a push, shows its state on the nodes, runs there, and serves a pulled change', async () => {
    const { page } = s;
    const started = Date.now();
    await page.goto(`${s.url}/#/projects/${project.id}`);
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Team pipelines');
    await page.waitForSelector('[data-testid="node-report"]');

    // Add the deployment: the proxy's URL, a bearer token in the password field; the test says what serves what.
    await page.getByTestId('deployment-select').selectOption('__manage__');
    const dialog = page.getByRole('dialog', { name: 'Deployments' });
    await dialog.getByRole('button', { name: 'Add deployment' }).click();
    await dialog.getByLabel('Deployment name').fill('Team OSS');
    await dialog.getByLabel('Deployment URL').fill(oss.bearerUrl);
    await dialog.getByLabel('Auth').selectOption('bearer');
    const token = dialog.getByLabel('Deployment token');
    expect(await token.getAttribute('type')).toBe('password');
    await token.fill(TOKEN);
    await dialog.getByRole('button', { name: 'Add deployment' }).click();
    const test = dialog.getByTestId('deployment-test');
    await expect
      .poll(() => test.textContent(), { timeout: 30_000 })
      .toMatch(
        /^✓ Connected \(Dagster 1\.13\.27\): 1 code location; "team_pipelines" serves "team_pipelines"/,
      );
    expect(await test.textContent()).toContain(
      'team_pipelines · loaded · package team_pipelines · serves this project',
    );
    expect(await dialog.getByTestId('deployment-Team OSS').textContent()).toMatch(/token\s+set/);
    // Its buttons share one row beside the name and address: Remove does not wrap under them.
    const row = dialog.getByTestId('deployment-Team OSS');
    const buttons = await Promise.all(
      ['Test connection', 'Edit', 'Remove'].map((name) =>
        row.getByRole('button', { name, exact: true }).boundingBox(),
      ),
    );
    expect(new Set(buttons.map((b) => Math.round(b!.y))).size).toBe(1);
    expect(new Set(buttons.map((b) => Math.round(b!.height))).size).toBe(1);
    // The token went to the deployment's proxy, as a bearer token.
    expect(oss.proxied.at(-1)).toMatchObject({
      route: 'bearer',
      authorization: `Bearer ${TOKEN}`,
      status: 200,
    });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'deployments-dialog.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Pick it: the nodes show the deployment's state (served, never materialized there yet).
    await page.getByTestId('deployment-select').selectOption({ label: 'Team OSS' });
    await expect
      .poll(() => page.getByTestId('deployment-state-extract').getAttribute('data-tone'), { timeout: 30_000 })
      .toBe('missing');
    await expect
      .poll(() => page.getByTestId('deployment-status').getAttribute('data-location'))
      .toBe('loaded');

    // Push the change (diff first), then ⟳ Reload deployment: its code server loads the pushed scripts.
    await page.locator('button[data-command="project.push"]').click();
    const git = page.getByRole('dialog', { name: 'Push to Git' });
    await git.getByLabel('Remote').fill(oss.repo);
    await git.getByLabel('Branch').fill(oss.branch);
    await git.getByRole('button', { name: 'Show changes' }).click();
    await expect
      .poll(() => git.getByLabel('Changed files').textContent(), { timeout: 60_000 })
      .toContain(`src/${project.package_name}/defs/report/report.py`);
    const before = oss.checkoutHead();
    await git.getByRole('button', { name: 'Commit and push' }).click();
    await expect.poll(() => git.count(), { timeout: 60_000 }).toBe(0);
    expect(oss.checkoutHead()).not.toBe(before); // the repository's hook checked the pushed commit out
    await expect
      .poll(() => page.locator('.toast').last().textContent())
      .toMatch(/Pushed \d+ files? to main: [0-9a-f]{8}\..*Then ⟳ Reload deployment/);
    await page.getByRole('button', { name: 'Reload deployment' }).click();
    await expect
      .poll(() => page.locator('.toast').last().textContent(), { timeout: 120_000 })
      .toMatch(/Team OSS: "team_pipelines" reloaded in/);

    // Run there: the Runs tab follows the deployment's run and its logs to SUCCESS.
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
    // The run is the deployment's: its id is the one the deployment's own GraphQL lists, with SUCCESS there too.
    const [ran] = await deploymentRuns();
    expect(ran).toMatchObject({ status: 'SUCCESS' });
    expect(await page.locator('.run-view .run-head').textContent()).toContain(ran!.runId.slice(0, 8));
    await expect
      .poll(() => page.locator('.run-list button.active .run-status').textContent(), { timeout: 30_000 })
      .toBe('SUCCESS');
    // The materializations show on the nodes and in the Assets tab, with the deployment's run.
    await expect
      .poll(() => page.getByTestId('deployment-state-report').getAttribute('data-tone'), { timeout: 60_000 })
      .toBe('ok');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'deployments-run.png') });
    expect(await page.getByTestId('deployment-state-extract').getAttribute('title')).toContain(
      `by run ${ran!.runId.slice(0, 8)} (success)`,
    );
    await page.locator('.drawer-tabs [role="tab"]', { hasText: 'Assets' }).click();
    const assets = page.getByTestId('deployment-assets');
    await expect.poll(() => assets.textContent()).toMatch(/On Team OSS/);
    expect(await assets.getByTestId('deployment-asset-marts/report').textContent()).toContain(
      `${ran!.runId.slice(0, 8)} SUCCESS`,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'deployments-nodes.png') });
    console.log(`[deployments e2e] add, push, reload, run: ${Math.round((Date.now() - started) / 1000)} s`);

    // A teammate adds a node on the branch with plain git; Pull shows it, Apply puts it on the canvas.
    pushAsSomeoneElse(oss.repo, oss.branch, 'Add the warehouse load', (clone) => {
      const load = path.join(clone, 'src', project.package_name, 'defs', 'load');
      mkdirSync(load, { recursive: true });
      writeFileSync(
        path.join(load, 'defs.yaml'),
        'type: dagster.PythonScriptComponent\nattributes:\n  assets:\n    - key: warehouse/orders\n      deps: [raw/orders]\n  execution:\n    path: load.py\n',
      );
      writeFileSync(path.join(load, 'load.py'), pipesScript('load'));
    });
    await page.getByRole('button', { name: /^Pull from Git/ }).click();
    const pull = page.getByRole('dialog', { name: 'Pull from Git' });
    await expect.poll(() => pull.getByLabel('Remote').inputValue()).toBe(oss.repo);
    await pull.getByRole('button', { name: "Show teammates' changes" }).click();
    const changes = pull.getByRole('region', { name: "Teammates' changes" });
    await expect.poll(() => changes.textContent(), { timeout: 60_000 }).toContain('Add the warehouse load');
    expect(await changes.getByLabel('Nodes').textContent()).toContain('+ load added');
    await pull.getByRole('button', { name: 'Apply' }).click();
    await page.waitForSelector('[data-testid="node-load"]', { timeout: 60_000 });
    await expect.poll(() => pull.count()).toBe(0);
    // The teammate's push is on the deployment's checkout; after ⟳ its code location serves the new asset.
    await page.getByRole('button', { name: 'Reload deployment' }).click();
    await expect
      .poll(() => page.getByTestId('deployment-state-load').getAttribute('data-tone'), { timeout: 120_000 })
      .toBe('missing');
    expect(await page.getByTestId('deployment-state-report').getAttribute('data-tone')).toBe('ok');
    await page.locator('button[data-command="view.fit"]').click(); // the pulled node came in right of the canvas
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'deployments-pulled.png') });
    // The token typed into the browser stayed in the server's memory: not in the page's storage, not on disk.
    expect(await page.evaluate(() => JSON.stringify({ ...window.localStorage }))).not.toContain(TOKEN);
    expect(allText(s.dataDir)).not.toContain(TOKEN);
    expect(s.errors).toEqual([]);
    console.log(`[deployments e2e] the whole user story: ${Math.round((Date.now() - started) / 1000)} s`);
  }, 600_000);
});
