// The first hour of runs, in Chromium: renaming a fresh node renames its key and script, and a run pressed
// right after an edit runs the new key (the launch answers at once and shows its steps in the Runs tab).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, startSession, type Session } from './browser.js';

let s: Session;
beforeAll(async () => {
  s = await startSession();
});
afterAll(async () => {
  await s?.close();
});

const nodeLabels = () => s.page.locator('.react-flow__node .node-label').allTextContents();

describe('runs in the first hour', () => {
  it('renames a fresh node with its key and script, then runs an edit made a moment before', async () => {
    const { page } = s;
    await page.goto(s.url);
    await page.getByRole('button', { name: 'New project' }).first().click();
    await page.getByLabel('Project name').fill('Runs first hour');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Runs first hour');
    const projectId = /#\/projects\/([0-9a-f-]+)/.exec(page.url())![1]!;
    const defs = path.join(s.dataDir, projectId, 'src', 'runs_first_hour', 'defs');

    // The palette lists the catalog once it has loaded (cold, on a busy machine, that can take a while).
    await expect
      .poll(() => page.getByTestId('palette-dagster.PythonScriptComponent').count(), { timeout: 180_000 })
      .toBe(1);
    await page
      .getByTestId('palette-dagster.PythonScriptComponent')
      .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: 250, y: 200 } });
    await expect.poll(nodeLabels).toEqual(['python_script']);
    const preview = page.getByRole('button', { name: 'Preview', exact: true });
    await expect.poll(() => preview.isEnabled(), { timeout: 180_000 }).toBe(true);
    await preview.click();
    await expect
      .poll(() => page.getByTestId('asset-count').textContent(), { timeout: 120_000 })
      .toMatch(/^1 asset/);
    expect(existsSync(path.join(defs, 'python_script', 'python_script.py'))).toBe(true);

    // Rename on the canvas: the default key and script follow the new name.
    await page.locator('[data-testid="node-python_script"] .node-label').dblclick();
    await page.getByLabel('Component name').fill('load_orders');
    await page.getByLabel('Component name').press('Enter');
    await expect.poll(nodeLabels).toEqual(['load_orders']);
    await preview.click();
    await expect
      .poll(() => page.locator('table.assets tbody tr').first().textContent(), { timeout: 120_000 })
      .toMatch(/^load_orders/);
    expect(existsSync(path.join(defs, 'load_orders', 'load_orders.py'))).toBe(true);
    expect(existsSync(path.join(defs, 'load_orders', 'python_script.py'))).toBe(false);
    expect(readFileSync(path.join(defs, 'load_orders', 'defs.yaml'), 'utf8')).toMatch(
      /key: load_orders[\s\S]*path: load_orders\.py/,
    );
    await page.locator('[data-testid="node-load_orders"]').click();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'rename-follows.png') });

    // Edit the asset key, then press Run at once: the run is of the new key.
    await page.locator('.properties [role="tab"]', { hasText: 'YAML' }).click();
    await page
      .getByLabel('Component YAML')
      .fill(
        'type: dagster.PythonScriptComponent\nattributes:\n  assets:\n    - key: sales/orders\n  execution:\n    path: load_orders.py\n',
      );
    await page.locator('.properties .props-header').click();
    const pressed = Date.now();
    await page.locator('button[data-command="project.run"]').click();
    // The launch answers at once: the Runs tab shows the run LAUNCHING with its steps.
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 5_000 }).toBeTruthy();
    expect(Date.now() - pressed).toBeLessThan(5_000);
    const launching = await page.getByLabel('Launch steps').count();
    if (launching > 0) await page.screenshot({ path: path.join(SCREENSHOTS, 'run-launching.png') });
    await expect
      .poll(() => page.getByTestId('run-status').textContent(), { timeout: 240_000 })
      .toBe('SUCCESS');
    const history = (await s.app.inject({ method: 'GET', url: `/api/projects/${projectId}/runs` })).json();
    expect(history.runs[0]).toMatchObject({ status: 'SUCCESS', assets: ['sales/orders'] });
    // The timeline names the step after its node.
    await expect
      .poll(() => page.locator('.steps .step-name').allTextContents(), { timeout: 10_000 })
      .toEqual(['load_orders']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'run-after-edit.png') });
    expect(s.errors).toEqual([]);
  }, 900_000);
});
