// Partitions and a backfill as a user sets them: a script node made daily-partitioned in its Automation tab (its
// badge says so), the Run dialog's backfill of a 2-day range, the backfill in the Runs tab until both partitions
// are materialized, and the partition status in the Assets tab. Screenshots go to docs/screenshots/.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, startSession, type Session } from './browser.js';

let s: Session;
beforeAll(async () => {
  s = await startSession();
});
afterAll(async () => s?.close());

describe('partitions end to end', () => {
  it('sets a node daily-partitioned, launches a 2-day backfill from the Run dialog and sees it in the Runs tab', async () => {
    const { page } = s;
    await page.goto(s.url);
    await page.getByRole('button', { name: 'New project' }).first().click();
    await page.getByLabel('Project name').fill('Daily sales');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Daily sales');

    const pane = page.locator('.react-flow__pane');
    const script = page.getByTestId('palette-dagster.PythonScriptComponent');
    await expect.poll(() => script.count(), { timeout: 60_000 }).toBe(1);
    await script.dragTo(pane, { targetPosition: { x: 400, y: 200 } });
    await page.locator('[data-testid="node-python_script"] .node-label').click();
    await page.locator('.properties [role="tab"]', { hasText: 'Automation' }).click();
    const section = page.getByTestId('partitions-section');
    await section.getByLabel('Partitions').selectOption('daily');
    // The default start is in the past (30 days ago), so a daily partition exists at once; the field says so.
    const today = new Date().toISOString().slice(0, 10);
    expect(await section.getByLabel('Start date').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await section.getByLabel('Start date').inputValue()) < today).toBe(true);
    expect(await section.getByTestId('start-date-note').textContent()).toMatch(/30 days ago/);
    await section.getByLabel('Start date').fill('2024-02-30');
    await expect.poll(() => section.getByRole('alert').textContent()).toMatch(/real date/);
    await section.getByLabel('Start date').fill('2024-01-01');
    await expect.poll(() => section.getByRole('alert').count()).toBe(0);
    await expect
      .poll(() =>
        page.locator('[data-testid="node-python_script"] [data-testid="partition-badge"]').textContent(),
      )
      .toBe('▦ daily from 2024-01-01');
    expect(await section.textContent()).toContain('type: daily');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'partitions-tab.png') });

    // The Run dialog offers a backfill once Dagster has loaded the partitioned asset.
    // As a user does, open it once the Dagster project exists (the dialog would keep asking until then).
    await expect.poll(() => page.locator('.ws-state.ready').count(), { timeout: 240_000 }).toBe(1);
    await expect
      .poll(() => page.locator('button[data-command="project.runWith"]').isEnabled(), { timeout: 180_000 })
      .toBe(true);
    await page.locator('button[data-command="project.runWith"]').click();
    const dialog = page.getByRole('dialog', { name: 'Run with configuration' });
    const backfill = dialog.getByTestId('backfill-section');
    // Until the section shows, the dialog says it is checking; a failure names what the dialog said instead.
    const state = async () => {
      if ((await backfill.count()) === 1) return 'backfill offered';
      const error = dialog.locator('.error-box');
      if ((await error.count()) > 0) return `error: ${await error.first().textContent()}`;
      return (await dialog.getByTestId('backfill-asking').count()) > 0
        ? 'checking'
        : 'answered: not partitioned';
    };
    await expect.poll(state, { timeout: 240_000 }).toBe('backfill offered');
    expect(await backfill.textContent()).toMatch(/Daily, starting 2024-01-01 UTC/);
    await backfill.getByRole('button', { name: 'A range' }).click();
    await backfill.getByLabel('From partition').fill('2024-01-01');
    await backfill.getByLabel('To partition').fill('2024-01-02');
    const launch = backfill.getByRole('button', { name: 'Launch backfill (2 partitions)' });
    await expect.poll(() => launch.isEnabled()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'backfill-dialog.png') });
    await launch.click();

    // The Runs tab shows the backfill, its two runs and its progress, until both partitions are materialized.
    const row = page.getByTestId('backfill').first();
    await expect.poll(() => row.count(), { timeout: 60_000 }).toBe(1);
    expect(await row.textContent()).toContain('2 partitions · 2024-01-01 … 2024-01-02');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 240_000 }).toBe('COMPLETED_SUCCESS');
    await expect
      .poll(() => row.locator('.backfill-runs button').allTextContents())
      .toEqual(expect.arrayContaining(['2024-01-01', '2024-01-02']));
    expect(await row.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('2');
    // Its runs are in the run history too, and each opens in the run view.
    await expect
      .poll(() => page.locator('.run-list-head').textContent(), { timeout: 30_000 })
      .toMatch(/^2 runs/);
    await row.getByRole('button', { name: '2024-01-02' }).click();
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('SUCCESS');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'backfill-runs.png') });

    // The Assets tab: the asset's partitions (preview) and their status on the instance.
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByRole('tab', { name: /Assets/ }).click();
    const status = page.getByTestId('partitions-python_script').getByTestId('partition-status');
    await expect.poll(() => status.textContent(), { timeout: 120_000 }).toMatch(/2 materialized/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'partitions-assets.png') });
    expect(s.errors).toEqual([]);
  }, 720_000);
});
