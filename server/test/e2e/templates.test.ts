// Templates and snippets in a real Chromium (issue 18): "New project" from each template builds its pipeline in one
// step and previews with no problem; a selection saved as a snippet is inserted from the palette (new names, its
// files written) and the project still previews with no problem. Screenshots: docs/screenshots/templates-*.png.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { SCREENSHOTS, startSession, type Session } from './browser.js';

let s: Session;
beforeAll(async () => {
  s = await startSession();
});
afterAll(async () => s?.close());

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS, `templates-${name}.png`) });
const nodeLabels = () => s.page.locator('.react-flow__node .node-label').allTextContents();
const projectIdOf = (page: Page) => /#\/projects\/([0-9a-f-]+)/.exec(page.url())![1]!;

/** Presses Preview once the project is ready, waits for its answer, and checks the Problems tab is empty. */
async function previewWithoutProblems(page: Page, assets: RegExp): Promise<void> {
  const preview = page.getByRole('button', { name: 'Preview', exact: true });
  await expect.poll(() => preview.isEnabled(), { timeout: 480_000 }).toBe(true);
  await preview.click();
  await page.getByRole('tab', { name: /^Assets/ }).click();
  await expect
    .poll(() => page.getByTestId('asset-count').textContent(), { timeout: 300_000 })
    .toMatch(assets);
  await expect
    .poll(() => page.getByTestId('asset-count').textContent(), { timeout: 120_000 })
    .not.toContain('refreshing');
  await page.getByRole('tab', { name: /^Problems/ }).click();
  await expect
    .poll(() => page.locator('.drawer').textContent(), { timeout: 30_000 })
    .toContain('No problems.');
  expect(await page.locator('.drawer-tabs .count.error, .drawer-tabs .count.warning').count()).toBe(0);
}

async function newProject(page: Page, name: string, templateTitle: RegExp): Promise<string> {
  await page.goto(s.url);
  await page.getByRole('button', { name: 'New project' }).first().click();
  await page.getByLabel('Project name').fill(name);
  await page.getByRole('radio', { name: templateTitle }).check();
  return projectIdOf(await createAndWait(page, name));
}

async function createAndWait(page: Page, name: string): Promise<Page> {
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect.poll(() => page.getByTestId('project-name').textContent()).toBe(name);
  return page;
}

describe('templates and snippets end to end', () => {
  it('offers each template with a one-line description; Empty previews with no problem', async () => {
    const { page } = s;
    await page.goto(s.url);
    await page.getByRole('button', { name: 'New project' }).first().click();
    await expect.poll(() => page.getByRole('radio').count()).toBe(4);
    const options = await page.locator('.template-option').allTextContents();
    expect(options).toEqual([
      expect.stringMatching(/^Empty project.+/),
      expect.stringMatching(/^DuckDB \+ SQL.+/),
      expect.stringMatching(/^Python ingestion → dbt → SQL report.+/),
      expect.stringMatching(/^Partitioned daily load.+/),
    ]);
    await page.getByLabel('Project name').fill('From empty');
    await page.getByRole('radio', { name: /DuckDB \+ SQL/ }).check();
    await shot(page, 'new-project');
    await page.getByRole('radio', { name: /Empty project/ }).check();
    await createAndWait(page, 'From empty');
    await previewWithoutProblems(page, /^0 assets/);
    expect(await nodeLabels()).toEqual([]);
    expect(s.errors).toEqual([]);
  }, 900_000);

  let duckdbProject = '';
  it('DuckDB + SQL: three nodes and an edge in one step, previewing with no problem', async () => {
    const { page } = s;
    duckdbProject = await newProject(page, 'Orders SQL', /DuckDB \+ SQL/);
    await expect.poll(nodeLabels).toEqual(['warehouse', 'raw_orders', 'orders_by_day']);
    expect(await page.locator('.react-flow__edge').count()).toBe(1);
    await previewWithoutProblems(page, /^2 assets/);
    await page.locator('.react-flow__controls-fitview').click();
    await shot(page, 'duckdb-sql');
    expect(s.errors).toEqual([]);
  }, 900_000);

  it('saves a selection as a snippet and inserts it: new names, its files written, still no problem', async () => {
    const { page, app } = s;
    await page.locator('[data-testid="node-raw_orders"]').click();
    await page.locator('[data-testid="node-orders_by_day"]').click({ modifiers: ['Shift'] });
    await page.locator('.react-flow__pane').hover();
    await page.keyboard.press('Alt+s');
    await page.getByLabel('Snippet name').fill('orders_pipeline');
    await page.getByLabel('Snippet description').fill('Raw orders and their daily summary');
    await shot(page, 'save-snippet');
    await page.getByRole('button', { name: 'Save snippet' }).click();
    const item = page.getByTestId('snippet-orders_pipeline');
    await expect.poll(() => item.count(), { timeout: 30_000 }).toBe(1);
    expect(await item.textContent()).toContain('raw_orders, orders_by_day · 2 files');

    await item.getByRole('button', { name: 'Insert orders_pipeline' }).click();
    await expect
      .poll(nodeLabels, { timeout: 30_000 })
      .toEqual(['warehouse', 'raw_orders', 'orders_by_day', 'raw_orders_2', 'orders_by_day_2']);
    expect(await page.locator('.react-flow__edge').count()).toBe(2);
    const project = (await app.inject({ url: `/api/projects/${duckdbProject}` })).json() as ProjectFile;
    const copy = project.graph.nodes.find((n) => n.data.label === 'orders_by_day_2')!;
    expect(copy.data.attributes).toMatchObject({
      assets: [{ key: 'orders_by_day_2' }],
      sql_template: { path: 'orders_by_day_2.sql' },
      connection: "{{ context.load_component('warehouse') }}",
    });
    const defs = path.join(s.dataDir, duckdbProject, 'src', 'orders_sql', 'defs');
    expect(readFileSync(path.join(defs, 'orders_by_day_2', 'orders_by_day_2.sql'), 'utf8')).toContain(
      'group by order_date',
    );
    await previewWithoutProblems(page, /^4 assets/);
    await page.locator('.react-flow__controls-fitview').click();
    await shot(page, 'snippet-inserted');

    // One undo step takes the insertion out again.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await expect.poll(nodeLabels).toEqual(['warehouse', 'raw_orders', 'orders_by_day']);
    expect(s.errors).toEqual([]);
  }, 900_000);

  it('Python ingestion → dbt → SQL report: builds and previews with no problem', async () => {
    const { page } = s;
    const id = await newProject(page, 'Shop pipeline', /Python ingestion/);
    await expect.poll(nodeLabels).toEqual(['warehouse', 'ingest_orders', 'shop_dbt', 'daily_report']);
    expect(await page.locator('.react-flow__edge').count()).toBe(2);
    await previewWithoutProblems(page, /^4 assets/);
    expect(existsSync(path.join(s.dataDir, id, 'dbt_shop', 'dbt_project.yml'))).toBe(true);
    await page.getByRole('tab', { name: /^Assets/ }).click();
    await page.locator('.react-flow__controls-fitview').click();
    await shot(page, 'python-dbt-sql');
    expect(s.errors).toEqual([]);
  }, 900_000);

  it('Partitioned daily load: a daily-partitioned script and its SQL sum, previewing with no problem', async () => {
    const { page } = s;
    await newProject(page, 'Daily load', /Partitioned daily load/);
    await expect.poll(nodeLabels).toEqual(['warehouse', 'daily_orders', 'revenue_by_day']);
    await previewWithoutProblems(page, /^2 assets/);
    await page.locator('.react-flow__controls-fitview').click();
    await shot(page, 'partitioned-daily');
    expect(s.errors).toEqual([]);
  }, 900_000);
});
