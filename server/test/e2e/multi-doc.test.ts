// Fixture multi_doc (imported) in the UI. Paths without guesswork: a script node's path chooser lists the
// project's Python files; picking the team's shared script writes it as Dagster reads it
// ("{{ context.project_root }}/scripts/…"), picking one next to the defs.yaml writes the short relative path, and
// the preview loads with no problem. A node that is one document of a shared defs.yaml: Delete removes that
// document from the file and nothing else, Ctrl+Z puts it back byte for byte.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { REPO_ROOT } from '../../src/config.js';
import { documentSlices } from '../../src/services/defs-yaml-documents.js';
import { SCREENSHOTS, startSession, type Session } from './browser.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'designer-e2e-paths-'));
let s: Session;
let project: ProjectFile;

beforeAll(async () => {
  s = await startSession({ createWorkspaces: false });
  const source = path.join(scratch, 'multi_doc');
  cpSync(path.join(REPO_ROOT, 'fixtures', 'multi_doc'), source, { recursive: true });
  mkdirSync(path.join(source, 'scripts'));
  writeFileSync(
    path.join(source, 'scripts', 'load_customers.py'),
    'from dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.report_asset_materialization()\n',
  );
  const created = (
    await s.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Paths' } })
  ).json() as ProjectFile;
  const res = await s.app.inject({
    method: 'POST',
    url: `/api/projects/${created.id}/import`,
    payload: { source: 'folder', path: source },
  });
  expect(res.statusCode, res.body).toBe(200);
  project = res.json().project;
}, 300_000);
afterAll(async () => {
  await s?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const savedPath = async () =>
  (
    ((await s.app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile).graph.nodes.find(
      (n) => n.data.label === 'raw_customers',
    )!.data.attributes.execution as { path: string }
  ).path;

describe('fixture multi_doc in the designer', () => {
  it('offers the project files a script attribute can name, and writes the pick as Dagster reads it', async () => {
    const { page } = s;
    await page.goto(`${s.url}/#/projects/${project.id}`);
    await page.locator('[data-testid="node-raw_customers"]').click();
    const chooser = page.locator('[data-testid="path-chooser"][data-field="execution.path"]');
    const select = chooser.locator('select');
    await expect
      .poll(() => select.inputValue(), { timeout: 30_000 })
      .toBe('src/multi_doc/defs/ingest/load_customers.py');
    const options = await select.locator('option:not([disabled])').allTextContents();
    expect(options).toEqual(
      expect.arrayContaining(['scripts/load_customers.py', 'src/multi_doc/defs/ingest/load_orders.py']),
    );
    expect(options.some((o) => o.endsWith('defs.yaml') || !o.endsWith('.py'))).toBe(false);

    await select.selectOption('scripts/load_customers.py');
    await expect
      .poll(savedPath, { timeout: 30_000 })
      .toBe('{{ context.project_root }}/scripts/load_customers.py');
    await expect.poll(() => chooser.textContent()).toContain('Reads scripts/load_customers.py');
    await expect.poll(() => page.getByText(/Loading the schema/).count(), { timeout: 60_000 }).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'project-path-chooser.png') });

    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('asset-count').textContent(), { timeout: 300_000 })
      .toMatch(/^5 assets/);
    await page.getByRole('tab', { name: /^Problems/ }).click();
    await expect.poll(() => page.locator('.drawer-body').textContent()).toContain('No problems');
    const root = s.app.services.workspaces.requireReady(project.id);
    expect(readFileSync(path.join(root, 'src/multi_doc/defs/ingest/defs.yaml'), 'utf8')).toContain(
      '{{ context.project_root }}/scripts/load_customers.py',
    );

    // A file next to the defs.yaml is written as the short relative path Dagster reads from that folder.
    await select.selectOption('src/multi_doc/defs/ingest/load_orders.py');
    await expect.poll(savedPath, { timeout: 30_000 }).toBe('load_orders.py');
    expect(s.errors).toEqual([]);
  }, 600_000);

  it('Delete on a document node removes its document only; Ctrl+Z puts it back', async () => {
    const { page } = s;
    const file = path.join(
      s.app.services.workspaces.requireReady(project.id),
      'src/multi_doc/defs/ingest/defs.yaml',
    );
    const text = () => readFileSync(file, 'utf8');
    // The last pick is synced (saves sync in the background), so the file is what the canvas says.
    await expect.poll(() => documentSlices(text())[0]!.text, { timeout: 30_000 }).toContain('load_orders.py');
    const before = documentSlices(text()).map((d) => d.text);
    expect(before).toHaveLength(3);

    await page.locator('[data-testid="node-raw_orders"]').click();
    await page.keyboard.press('Delete');
    await expect.poll(text, { timeout: 30_000 }).toBe(before[0]! + before[2]!);
    await expect.poll(() => page.locator('[data-testid="node-raw_orders"]').count()).toBe(0);

    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await expect.poll(text, { timeout: 30_000 }).toBe(before.join(''));
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('asset-count').textContent(), { timeout: 300_000 })
      .toMatch(/^5 assets/);
    await page.getByRole('tab', { name: /^Problems/ }).click();
    await expect.poll(() => page.locator('.drawer-body').textContent()).toContain('No problems');
    expect(s.errors).toEqual([]);
  }, 300_000);
});
