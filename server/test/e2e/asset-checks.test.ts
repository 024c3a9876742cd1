// An asset check as a user adds it: a script node, its Checks tab, "Add a check" (named, blocking), a script that
// reports the check on bad data, a run; the failed check shows on the node, in the Checks tab with why, and in the
// run's log; then an asset sensor connected to it. Screenshots go to docs/screenshots/.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centreOf, mouseDrag, SCREENSHOTS, startSession, type Session } from './browser.js';

let s: Session;
beforeAll(async () => {
  s = await startSession();
});
afterAll(async () => s?.close());

const projectIdOf = (page: Page) => /#\/projects\/([0-9a-f-]+)/.exec(page.url())![1]!;

/** Reads orders with a negative amount and says so through the check it reports (Dagster Pipes). */
const SCRIPT = `from dagster_pipes import open_dagster_pipes

with open_dagster_pipes() as context:
    amounts = [10.5, -3.0, 7.0]
    negative = [a for a in amounts if a < 0]
    context.report_asset_materialization(metadata={"rows": len(amounts)})
    context.report_asset_check(
        check_name="amount_positive",
        passed=not negative,
        metadata={"negative_amounts": len(negative), "first": negative[0] if negative else 0},
    )
`;

describe('asset checks end to end', () => {
  it('adds a blocking check to a script node, runs it on bad data and sees the failure on the node', async () => {
    const { page } = s;
    await page.goto(s.url);
    await page.getByRole('button', { name: 'New project' }).first().click();
    await page.getByLabel('Project name').fill('Checked shop');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Checked shop');
    const pane = page.locator('.react-flow__pane');
    const script = page.getByTestId('palette-dagster.PythonScriptComponent');
    // The palette lists what the project's environment has (dg list components: slow on a loaded machine).
    await expect.poll(() => script.count(), { timeout: 240_000 }).toBe(1);
    await script.dragTo(pane, { targetPosition: { x: 450, y: 220 } });

    await page.locator('[data-testid="node-python_script"] .node-label').click();
    await page.locator('.properties [role="tab"]', { hasText: /^Checks$/ }).click();
    const tab = page.getByTestId('checks-tab');
    await tab.getByRole('button', { name: 'Add a check' }).click();
    await tab.getByLabel('Check name').fill('amount_positive');
    await tab.getByLabel('Check description').fill('No order has a negative amount');
    await tab.getByLabel('Blocking').check();
    await tab.getByLabel('Check name').press('Tab');

    // The script the designer wrote for the node, replaced by one that checks its data.
    const id = projectIdOf(page);
    const pkg = JSON.parse(readFileSync(path.join(s.dataDir, `${id}.json`), 'utf8')).package_name as string;
    const file = path.join(s.dataDir, id, 'src', pkg, 'defs', 'python_script', 'python_script.py');
    await expect.poll(() => existsSync(file), { timeout: 120_000 }).toBe(true);
    writeFileSync(file, SCRIPT);

    await expect
      .poll(() => page.getByRole('button', { name: 'Preview', exact: true }).isEnabled(), {
        timeout: 120_000,
      })
      .toBe(true);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('asset-count').textContent(), { timeout: 180_000 })
      .toMatch(/^1 asset · 1 check/);
    await expect.poll(() => tab.getByTestId('check-status').textContent()).toBe('not run yet');

    await page.locator('button[data-command="project.run"]').click();
    // A first run starts the project's Dagster instance (minutes on a loaded machine).
    await expect
      .poll(
        () =>
          page
            .getByTestId('run-status')
            .first()
            .textContent({ timeout: 2000 })
            .catch(() => null),
        {
          timeout: 420_000,
        },
      )
      .toBe('FAILURE')
      .catch(async (e: unknown) => {
        await page.screenshot({ path: '/tmp/asset-checks-e2e-failure.png' });
        throw e;
      });
    await expect.poll(() => page.getByTestId('run-check').first().textContent()).toContain('failed · ERROR');
    await expect
      .poll(() => page.getByTestId('checks-python_script').textContent(), { timeout: 60_000 })
      .toBe('✗ checks 1/1 failed');
    await page.locator('[data-testid="node-python_script"] .node-label').click();
    await page.locator('.properties [role="tab"]', { hasText: /^Checks$/ }).click();
    await expect.poll(() => tab.getByTestId('check-status').textContent()).toBe('failed · ERROR');
    const why = await tab.getByTestId('check-why').textContent();
    expect(why).toContain('negative_amounts: 1');
    expect(why).toContain('Blocking');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'asset-check-failed.png') });

    // An asset sensor beside it: watches an outside asset and runs the script's asset when it changes.
    await page
      .getByTestId(`palette-${pkg}.components.asset_sensor_job.AssetSensorJobComponent`)
      .dragTo(pane, { targetPosition: { x: 180, y: 220 } });
    await mouseDrag(
      page,
      await centreOf(page, '[data-testid="node-asset_sensor"] .react-flow__handle-right'),
      await centreOf(page, '[data-testid="node-python_script"] .react-flow__handle-left'),
    );
    await page.locator('[data-testid="node-asset_sensor"] .node-label').click();
    const panel = page.getByTestId('schedule-panel');
    await panel.getByLabel('Watched asset').fill('vendor/prices');
    await panel.getByLabel('Watched asset').press('Tab');
    await expect
      .poll(() =>
        page.locator('[data-testid="node-asset_sensor"] [data-testid="schedule-words"]').textContent(),
      )
      .toBe('when vendor/prices materializes');
    expect(await panel.getByTestId('schedule-targets').textContent()).toContain('python_script');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'asset-sensor-node.png') });
    expect(s.errors).toEqual([]);
  }, 600_000);
});
