// A schedule and an automation condition as a user sets them: add a Schedule node from the palette, connect it to
// two scripts, pick "every day at 06:00" in Paris, read the next ticks, preview (the schedule and its job are in
// the project), make a node eager and see its badge. Screenshots go to docs/screenshots/.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centreOf, mouseDrag, SCREENSHOTS, startSession, type Session } from './browser.js';

let s: Session;
beforeAll(async () => {
  s = await startSession();
});
afterAll(async () => s?.close());

const nodeLabels = () => s.page.locator('.react-flow__node .node-label').allTextContents();
const edgeCount = () => s.page.locator('.react-flow__edge').count();

describe('schedules end to end', () => {
  it('adds a schedule, connects it, picks every day at 06:00, sees the next ticks and the schedule in the preview', async () => {
    const { page } = s;
    await page.goto(s.url);
    await page.getByRole('button', { name: 'New project' }).first().click();
    await page.getByLabel('Project name').fill('Nightly shop');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Nightly shop');
    // Every text the first script node's counts pill takes, from now on: the first preview is either the one the
    // designer runs by itself once the Dagster project is ready (when nodes were dropped before) or the Preview
    // click below, and it may answer within a poll's interval.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __pillTexts: string[] }).__pillTexts = seen;
      new MutationObserver(() => {
        const text = document.querySelector(
          '[data-testid="node-python_script"] [data-testid="node-counts"]',
        )?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    const pane = page.locator('.react-flow__pane');
    const schedule = page.getByTestId('palette-nightly_shop.components.scheduled_job.ScheduledJobComponent');
    await expect.poll(() => schedule.count(), { timeout: 60_000 }).toBe(1);
    await page
      .getByTestId('palette-dagster.PythonScriptComponent')
      .dragTo(pane, { targetPosition: { x: 450, y: 120 } });
    // A fresh script node says its file is being written (the sync after the save writes the starter), not "ok",
    // until the file is there.
    const fresh = page.locator('[data-testid="node-python_script"]');
    await expect.poll(() => fresh.getByTestId('files-pending').textContent()).toBe('writing file…');
    await expect.poll(() => fresh.getByTestId('files-pending').count(), { timeout: 120_000 }).toBe(0);
    expect(await fresh.locator('.node-status').textContent()).toBe('ok');
    await page
      .getByTestId('palette-dagster.PythonScriptComponent')
      .dragTo(pane, { targetPosition: { x: 450, y: 320 } });
    await schedule.dragTo(pane, { targetPosition: { x: 170, y: 220 } });
    await expect.poll(nodeLabels).toEqual(['python_script', 'python_script_2', 'schedule']);
    // A schedule has no upstream handle: nothing can make it depend on anything.
    expect(await page.locator('[data-testid="node-schedule"] .react-flow__handle-left').count()).toBe(0);

    for (const target of ['python_script', 'python_script_2']) {
      await mouseDrag(
        page,
        await centreOf(page, '[data-testid="node-schedule"] .react-flow__handle-right'),
        await centreOf(page, `[data-testid="node-${target}"] .react-flow__handle-left`),
      );
    }
    await expect.poll(edgeCount).toBe(2);

    await page.locator('[data-testid="node-schedule"] .node-label').click();
    const panel = page.getByTestId('schedule-panel');
    await expect.poll(() => panel.isVisible()).toBe(true);
    await panel.getByRole('button', { name: 'Every hour' }).click();
    await expect.poll(() => panel.getByTestId('schedule-reading').textContent()).toBe('Runs every hour UTC');
    await panel.getByRole('button', { name: 'Every day at' }).click();
    await panel.getByLabel('Time of day').fill('06:00');
    await panel.getByLabel('Time zone').selectOption('Europe/Paris');
    await expect
      .poll(() => panel.getByTestId('schedule-reading').textContent())
      .toBe('Runs every day at 06:00 Europe/Paris');
    const ticks = await panel.locator('[data-testid="schedule-ticks"] li').allTextContents();
    expect(ticks).toHaveLength(5);
    for (const tick of ticks) expect(tick).toMatch(/06:00/);
    expect(await panel.getByTestId('schedule-targets').textContent()).toContain('python_script_2');
    await expect
      .poll(() => page.locator('[data-testid="node-schedule"] [data-testid="schedule-words"]').textContent())
      .toBe('every day at 06:00 Europe/Paris');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'schedule-node.png') });

    // Preview: the real definitions have the schedule and its job.
    await expect
      .poll(() => page.getByRole('button', { name: 'Preview', exact: true }).isEnabled(), {
        timeout: 120_000,
      })
      .toBe(true);
    // The Run… button says it also backfills partitions (its dialog does).
    expect(await page.locator('button[data-command="project.runWith"]').getAttribute('title')).toMatch(
      /backfill/i,
    );
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('asset-count').textContent(), { timeout: 180_000 })
      .toMatch(/^2 assets · 0 checks · 1 job · 1 schedule/);
    // While the first preview ran, the node said so rather than "0 assets".
    const pill = (await page.evaluate('window.__pillTexts')) as string[];
    expect(pill).toContain('previewing…');
    expect(pill).not.toContain('0 assets');
    expect(pill.at(-1)).toBe('1 asset');
    // Nothing to fix: no problem on any node (the schedule's computed attributes are not the form's business).
    await page.getByRole('tab', { name: /Problems/ }).click();
    expect(await page.locator('.problems li').allTextContents()).toEqual([]);
    await page.getByRole('tab', { name: /Assets/ }).click();
    await page.getByRole('button', { name: 'Schedules' }).click();
    const row = page.locator('.assets-tab table tbody tr', { hasText: 'schedule' }).first();
    await expect.poll(() => row.textContent()).toContain('0 6 * * *');
    // The column holding the job a schedule starts is headed Job.
    expect(await page.locator('.assets-tab table thead th').allTextContents()).toEqual(
      expect.arrayContaining(['Schedule', 'Cron', 'Job', 'Timezone']),
    );
    expect(await page.locator('.assets-tab table thead th').allTextContents()).not.toContain('Starts');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'schedule-preview.png') });

    // Declarative automation: the second script runs when its upstream updates; its node says so.
    await page.locator('[data-testid="node-python_script_2"] .node-label').click();
    await page.locator('.properties [role="tab"]', { hasText: 'Automation' }).click();
    await page.getByLabel(/When upstream updates/).check();
    await expect
      .poll(() =>
        page.locator('[data-testid="node-python_script_2"] [data-testid="automation-badge"]').textContent(),
      )
      .toBe('auto: eager');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'automation-tab.png') });
    expect(s.errors).toEqual([]);
  }, 420_000);
});
