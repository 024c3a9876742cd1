// Pull in a real Chromium: the project is on a branch (pushed by the designer), a teammate adds a node with
// plain git; Pull shows it (commits, nodes, file diffs), Apply puts it on the canvas. Screenshots of both.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { pipesScript, pushAsSomeoneElse, scriptNode } from '../helpers.js';
import { SCREENSHOTS, startSession, type Session } from './browser.js';

let s: Session;
const repos = mkdtempSync(path.join(os.tmpdir(), 'designer-pull-e2e-'));
const bare = path.join(repos, 'team.git');
beforeAll(async () => {
  s = await startSession();
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch', 'main', bare]);
}, 120_000);
afterAll(async () => {
  await s?.close();
  rmSync(repos, { recursive: true, force: true });
});

describe('pull end to end', () => {
  it("shows a teammate's new node and puts it on the canvas", async () => {
    const { page, app } = s;
    const project = (
      await app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Team shop' } })
    ).json() as ProjectFile;
    await app.services.workspaces.settle();
    const extract = scriptNode('n_extract', 'extract', 'raw/orders', { description: 'Raw orders' });
    extract.position = { x: 80, y: 120 };
    const saved = await app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: { version: 1, graph: { nodes: [extract], edges: [] }, git_repo: bare, git_branch: 'main' },
    });
    expect(saved.statusCode).toBe(200);
    const root = app.services.projects.workspaceOf(project.id);
    await app.services.sync.ensureSynced(await app.services.projects.read(project.id), root);
    writeFileSync(path.join(root, 'src/team_shop/defs/extract/extract.py'), pipesScript());
    const push = await app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/git/push`,
      payload: { remote: bare, branch: 'main' },
    });
    expect(push.statusCode, push.body).toBe(200);
    pushAsSomeoneElse(bare, 'main', 'Add the warehouse load', (clone) => {
      const load = path.join(clone, 'src/team_shop/defs/load');
      mkdirSync(load, { recursive: true });
      writeFileSync(
        path.join(load, 'defs.yaml'),
        'type: dagster.PythonScriptComponent\nattributes:\n  assets:\n    - key: warehouse/orders\n      deps: [raw/orders]\n  execution:\n    path: load.py\n',
      );
      writeFileSync(path.join(load, 'load.py'), pipesScript('load'));
    });

    await page.goto(`${s.url}/#/projects/${project.id}`);
    await page.waitForSelector('[data-testid="node-extract"]');
    await page.getByRole('button', { name: /^Pull from Git/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Pull from Git' });
    await expect.poll(() => dialog.getByLabel('Remote').inputValue()).toBe(bare);
    await dialog.getByRole('button', { name: "Show teammates' changes" }).click();
    const changes = dialog.getByRole('region', { name: "Teammates' changes" });
    await expect.poll(() => changes.textContent(), { timeout: 30_000 }).toContain('Add the warehouse load');
    expect(await changes.getByLabel('Nodes').textContent()).toContain('+ load added');
    await changes.getByText('src/team_shop/defs/load/defs.yaml', { exact: true }).click(); // opens the file's diff
    await expect
      .poll(() => changes.locator('details[open] pre.diff').textContent())
      .toContain('+    - key: warehouse/orders');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pull-preview.png') });

    // Every state the save indicator shows from Apply on: a pull is saved by the server, a Fit is no edit, so
    // nothing is ever unsaved.
    await page.evaluate(() => {
      const indicator = document.querySelector('[data-testid="save-state"]')!;
      const seen: string[] = [];
      (window as unknown as { saveStatesSeen: string[] }).saveStatesSeen = seen;
      new MutationObserver(() => seen.push(indicator.textContent ?? '')).observe(indicator, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await page.waitForSelector('[data-testid="node-load"]', { timeout: 60_000 });
    await expect.poll(() => dialog.count()).toBe(0);
    const stored = (await app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile;
    expect(stored.graph.nodes.map((n) => n.data.label).sort()).toEqual(['extract', 'load']);
    expect(stored.graph.nodes.find((n) => n.id === 'n_extract')!.position).toEqual({ x: 80, y: 120 });
    // The pulled node came in right of the view: Fit shows both. The view is saved too, quietly: it is no edit.
    await page.locator('button[data-command="view.fit"]').click();
    await page.waitForTimeout(400); // the fit animates for 300 ms
    await expect
      .poll(
        async () =>
          ((await app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile).graph.viewport,
      )
      .not.toEqual(stored.graph.viewport);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pull-applied.png') });
    const seen = await page.evaluate(
      () => (window as unknown as { saveStatesSeen: string[] }).saveStatesSeen,
    );
    expect(seen).not.toContain('Unsaved changes');
    expect(await page.getByTestId('save-state').textContent()).toBe('All changes saved');
    expect(s.errors).toEqual([]);
  }, 240_000);
});
