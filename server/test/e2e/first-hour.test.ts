// The first hour of a new user (issue 13), as they lived it: Python script → dbt → Templated SQL from scratch, every
// tab of every node, the DuckDB connection from the SQL node's Code tab, a partitions choice, the bottom panel, a
// duplicate asset key, a run, then an import whose warnings must outlive the next preview. Screenshots go to
// docs/screenshots/first-hour-*.png.
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centreOf, mouseDrag, SCREENSHOTS, startSession, type Session } from './browser.js';

let s: Session;
beforeAll(async () => {
  s = await startSession();
});
afterAll(async () => s?.close());

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS, `first-hour-${name}.png`) });
const nodeLabels = () => s.page.locator('.react-flow__node .node-label').allTextContents();
const projectIdOf = (page: Page) => /#\/projects\/([0-9a-f-]+)/.exec(page.url())![1]!;
const projectFile = (id: string) => JSON.parse(readFileSync(path.join(s.dataDir, `${id}.json`), 'utf8'));
const nodeByLabel = (id: string, label: string) =>
  projectFile(id).graph.nodes.find((n: { data: { label: string } }) => n.data.label === label);
const propertyTab = (page: Page, name: string) =>
  page.locator('.properties [role="tab"]', { hasText: new RegExp(`^${name}$`) });
/** The error events of the project's newest run, as the API answers them to the page. */
const runErrors = (page: Page, id: string) =>
  page.evaluate(async (projectId) => {
    const get = (url: string) => fetch(url, { headers: { 'x-designer-request': '1' } }).then((r) => r.json());
    const { runs } = await get(`/api/projects/${projectId}/runs`);
    const logs = await get(`/api/runs/${runs[0].runId}/logs`);
    return (
      logs.events as {
        level: string;
        type: string;
        stepKey: string | null;
        message: string;
        error?: string;
      }[]
    )
      .filter((e) => e.level === 'ERROR' || e.error || /FAILURE/.test(e.type))
      .map((e) => `${e.type} ${e.stepKey ?? ''}: ${e.message}\n${e.error ?? ''}`)
      .join('\n');
  }, id);
const boxesOverlap = (
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('the first hour of a new user', () => {
  let projectId = '';

  it('builds Python script → dbt → Templated SQL and opens every tab of every node without a crash', async () => {
    const { page } = s;
    await page.goto(s.url);
    await page.getByRole('button', { name: 'New project' }).first().click();
    await page.getByLabel('Project name').fill('First hour');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('First hour');
    projectId = projectIdOf(page);

    // While the Dagster project is created, its progress pill stays clear of undo/redo.
    const creating = page.locator('.ws-state.creating');
    await expect.poll(() => creating.count(), { timeout: 30_000 }).toBe(1);
    const pill = (await creating.boundingBox())!;
    const undo = (await page.locator('button[data-command="edit.undo"]').boundingBox())!;
    expect(boxesOverlap(pill, undo)).toBe(false);
    await shot(page, 'creating');

    const pane = page.locator('.react-flow__pane');
    await expect.poll(() => page.locator('.palette-item').count(), { timeout: 240_000 }).toBeGreaterThan(8);
    await page
      .getByTestId('palette-dagster.PythonScriptComponent')
      .dragTo(pane, { targetPosition: { x: 120, y: 120 } });
    await page
      .getByTestId('palette-dagster_dbt.DbtProjectComponent')
      .dragTo(pane, { targetPosition: { x: 420, y: 120 } });
    await page
      .getByTestId('palette-dagster.TemplatedSqlComponent')
      .dragTo(pane, { targetPosition: { x: 720, y: 120 } });
    await expect.poll(nodeLabels).toHaveLength(3);
    const [python, dbt, sql] = await nodeLabels();
    expect([python, sql]).toEqual(['python_script', 'templated_sql']);
    await mouseDrag(
      page,
      await centreOf(page, `[data-testid="node-${python}"] .react-flow__handle-right`),
      await centreOf(page, `[data-testid="node-${dbt}"] .react-flow__handle-left`),
    );
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(1);
    await mouseDrag(
      page,
      await centreOf(page, `[data-testid="node-${python}"] .react-flow__handle-right`),
      await centreOf(page, `[data-testid="node-${sql}"] .react-flow__handle-left`),
    );
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);

    // The Code tabs need the Dagster project: wait until it is ready.
    await expect
      .poll(() => page.getByRole('button', { name: 'Preview', exact: true }).isEnabled(), {
        timeout: 240_000,
      })
      .toBe(true);
    await expect.poll(() => page.locator('.ws-state.ready').count(), { timeout: 30_000 }).toBe(1);
    for (const label of [python, dbt, sql] as string[]) {
      await page.locator(`[data-testid="node-${label}"]`).click();
      await expect.poll(() => page.getByLabel('Node name').inputValue()).toBe(label);
      const tabs = await page.locator('.properties [role="tab"]').allTextContents();
      for (const tab of tabs) {
        await propertyTab(page, tab).click();
        await expect.poll(() => propertyTab(page, tab).getAttribute('aria-selected')).toBe('true');
        await page.waitForTimeout(300);
        expect(await page.locator('.app').count(), `${label} → ${tab} blanked the app`).toBe(1);
      }
    }
    expect(s.errors).toEqual([]);

    // The dbt node has no dbt project yet (the dbt side is another story): take it away so the project loads.
    await page.locator(`[data-testid="node-${dbt}"]`).click();
    await page.keyboard.press('Delete');
    await expect.poll(nodeLabels).not.toContain(dbt);
    // The SQL node's Code tab opens (it used to loop: React error #185) and offers the connection.
    await page.locator(`[data-testid="node-${sql}"]`).click();
    await propertyTab(page, 'Code').click();
    await expect.poll(() => page.getByRole('button', { name: 'Add a DuckDB connection' }).count()).toBe(1);
    await expect
      .poll(() => page.getByLabel(`Contents of src/first_hour/defs/${sql}/${sql}.sql`).count(), {
        timeout: 30_000,
      })
      .toBe(1);
    await shot(page, 'sql-code');
    expect(s.errors).toEqual([]);
  }, 600_000);

  it('adds the DuckDB connection from the Code tab; the palette lists it, also after a reload', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Add a DuckDB connection' }).click();
    await expect.poll(nodeLabels, { timeout: 120_000 }).toContain('warehouse');
    // The connection lands left of the SQL node that uses it, on top of no other node.
    const warehouse = (await page.locator('[data-testid="node-warehouse"]').boundingBox())!;
    const sqlBox = (await page.locator('[data-testid="node-templated_sql"]').boundingBox())!;
    expect(warehouse.x + warehouse.width).toBeLessThan(sqlBox.x);
    for (const label of await nodeLabels())
      if (label !== 'warehouse')
        expect(
          boxesOverlap(warehouse, (await page.locator(`[data-testid="node-${label}"]`).boundingBox())!),
          `warehouse covers ${label}`,
        ).toBe(false);
    await expect
      .poll(() => nodeByLabel(projectId, 'templated_sql')?.data.attributes.connection, { timeout: 10_000 })
      .toBe("{{ context.load_component('warehouse') }}");
    // The project's own DuckDB connection (the Schedule entry of the palette is a project component too).
    const own = page.locator('[data-testid^="palette-first_hour.components.duckdb"]');
    await expect.poll(() => own.count(), { timeout: 120_000 }).toBe(1);
    expect(await own.textContent()).toContain('Duck');
    await expect
      .poll(() => page.locator('.palette-group-title').allTextContents())
      .toContainEqual(expect.stringMatching(/^this project/));
    await shot(page, 'connection');

    // A first preview writes the nodes' files (starter script and SQL) and shows what each defines (once the one
    // started when the project became ready is done).
    await expect
      .poll(() => page.getByRole('button', { name: 'Preview', exact: true }).count(), { timeout: 300_000 })
      .toBe(1);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect
      .poll(() => page.locator('[data-testid="node-python_script"] .node-assets').textContent(), {
        timeout: 300_000,
      })
      .toBe('1 asset');

    // With the connection in place the SQL node loads, and its starter file is there in its Code tab.
    await page.locator('[data-testid="node-templated_sql"]').click();
    await propertyTab(page, 'Code').click();
    await expect
      .poll(
        () =>
          page.getByLabel('Contents of src/first_hour/defs/templated_sql/templated_sql.sql').textContent(),
        {
          timeout: 30_000,
        },
      )
      .toContain('select 1');
    await shot(page, 'sql-starter');
    await page.reload();
    await expect.poll(() => own.count(), { timeout: 120_000 }).toBe(1);
    expect(s.errors).toEqual([]);
  }, 600_000);

  it('offers "None" for an optional choice, writes a Daily partition with its type, and reports one error', async () => {
    const { page } = s;
    await page.locator('[data-testid="node-python_script"]').click();
    await propertyTab(page, 'Attributes').click();
    const partitions = page.locator('.properties select[id$="assets_0_partitions_def__anyof_select"]');
    await expect.poll(() => partitions.count(), { timeout: 30_000 }).toBe(1);
    expect(await partitions.locator('option:checked').textContent()).toBe('None');
    await partitions.scrollIntoViewIfNeeded();
    await partitions.selectOption({ label: 'Daily Partitions Definition' });
    // One error, of the branch chosen (not one per branch of the union).
    await expect.poll(() => page.locator('.properties .error-detail li').allTextContents()).toHaveLength(1);
    expect((await page.locator('.properties .error-detail li').allTextContents())[0]).toMatch(/start/i);
    await shot(page, 'partitions-chosen');
    // A preview now finds the same missing start date three ways (the form, sync's schema check with a line per
    // union branch, Dagster's pydantic error): the Problems tab lists it once, and not after the fix.
    const answered = page.waitForResponse(
      (r) => r.url().endsWith('/preview') && r.request().method() === 'POST',
      { timeout: 180_000 },
    );
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const reported = ((await (await answered).json()) as { problems: { message: string }[] }).problems.filter(
      (p) => p.message.startsWith('python_script:'),
    );
    expect(reported.length, 'the server reports the missing start date more than once').toBeGreaterThan(1);
    await expect
      .poll(() => page.getByRole('button', { name: 'Preview', exact: true }).count(), { timeout: 30_000 })
      .toBe(1);
    await page.getByRole('tab', { name: /^Problems/ }).click();
    const scriptProblems = page.locator('.problems li', { hasText: 'python_script:' });
    await expect.poll(() => scriptProblems.count(), { timeout: 30_000 }).toBe(1);
    expect(await scriptProblems.textContent()).toMatch(/start/i);
    expect(await page.locator('.problems').textContent()).not.toMatch(
      /must be equal to constant|ValidationError/,
    );
    await shot(page, 'problems-once');
    await page.locator('.properties input[id$="assets_0_partitions_def_start_date"]').fill('2024-01-01');
    await expect.poll(() => page.locator('.properties .error-detail li').count()).toBe(0);
    await expect.poll(() => scriptProblems.count()).toBe(0);
    await page.getByRole('button', { name: 'Collapse panel' }).click();
    await expect
      .poll(() => page.locator('[data-testid="node-python_script"] .node-status').textContent())
      .toBe('ok');
    await expect
      .poll(() => nodeByLabel(projectId, 'python_script').data.attributes.assets[0].partitions_def, {
        timeout: 10_000,
      })
      .toEqual({ type: 'daily', start_date: '2024-01-01' });
    await shot(page, 'partitions-daily');

    // Array items can be removed and moved: their buttons show a glyph.
    const remove = page.locator('.properties .rjsf-array-item-remove').first();
    expect((await remove.boundingBox())!.width).toBeGreaterThan(12);
    expect(await remove.evaluate((el) => getComputedStyle(el.querySelector('i')!, '::before').content)).toBe(
      '"✕"',
    );

    // Back to None: the key leaves the YAML.
    await partitions.selectOption({ label: 'None' });
    await expect
      .poll(() => nodeByLabel(projectId, 'python_script').data.attributes.assets[0].partitions_def, {
        timeout: 10_000,
      })
      .toBeUndefined();

    // The SQL node's deps show the key its edge adds, read-only.
    await page.locator('[data-testid="node-templated_sql"]').click();
    await propertyTab(page, 'Attributes').click();
    await expect.poll(() => page.getByLabel('Deps from edges').textContent()).toContain('python_script');
    await page.getByLabel('Deps from edges').scrollIntoViewIfNeeded();
    await shot(page, 'deps-from-edges');
    expect(s.errors).toEqual([]);
  }, 300_000);

  it('resizes the bottom panel by its edge, keeps it open on a tab click, and shows Save in the Files tab', async () => {
    const { page } = s;
    const drawer = page.getByRole('region', { name: 'Bottom panel' });
    await page.getByRole('tab', { name: /^Problems/ }).click();
    await page.getByRole('tab', { name: /^Problems/ }).click();
    await expect.poll(() => page.locator('.drawer-body').count()).toBe(1);

    const positions = () => projectFile(projectId).graph.nodes.map((n: { position: unknown }) => n.position);
    const positionsBefore = positions();
    const nodeBefore = (await page.locator('[data-testid="node-python_script"]').boundingBox())!;
    const before = (await drawer.boundingBox())!;
    const handle = await centreOf(page, '[aria-label="Resize the bottom panel"]');
    await mouseDrag(page, handle, { x: handle.x + 40, y: handle.y - 160 });
    const after = (await drawer.boundingBox())!;
    expect(after.height).toBeGreaterThan(before.height + 120);
    const nodeAfter = (await page.locator('[data-testid="node-python_script"]').boundingBox())!;
    expect([nodeAfter.x, nodeAfter.y]).toEqual([nodeBefore.x, nodeBefore.y]);
    await page.waitForTimeout(800); // past the autosave delay: a moved node would have been saved
    expect(positions()).toEqual(positionsBefore);

    await page.getByRole('tab', { name: 'Files' }).click();
    await page.getByLabel('Filter files').fill('python_script.py');
    await page.locator('.file-list button', { hasText: 'python_script.py' }).first().click();
    const save = page.locator('.files-tab .file-editor-bar button', { hasText: /^Save$/ });
    await expect.poll(() => save.count()).toBe(1);
    const saveBox = (await save.boundingBox())!;
    const view = (await page.locator('.files-tab .file-view').boundingBox())!;
    expect(saveBox.x + saveBox.width).toBeLessThanOrEqual(view.x + view.width + 1);
    await shot(page, 'panel-resized');
    expect(s.errors).toEqual([]);
  }, 120_000);

  it('puts a duplicate asset key on both nodes, with a hint', async () => {
    const { page } = s;
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });

    const pane = page.locator('.react-flow__pane');
    await page
      .getByTestId('palette-dagster.PythonScriptComponent')
      .dragTo(pane, { targetPosition: { x: 120, y: 320 } });
    await expect.poll(nodeLabels).toContain('python_script_2');
    await page.locator('[data-testid="node-python_script_2"]').click();
    await propertyTab(page, 'Attributes').click();
    await page.locator('.properties input[id$="assets_0_key"]').fill('python_script');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    for (const label of ['python_script', 'python_script_2'])
      await expect
        .poll(() => page.locator(`[data-testid="node-${label}"] .node-status`).textContent(), {
          timeout: 180_000,
        })
        .toMatch(/error/);
    await page.getByRole('tab', { name: /^Problems/ }).click();
    const problems = page.getByLabel('Problems');
    await expect
      .poll(() => problems.textContent())
      .toContain('python_script_2: its asset key python_script is also defined by python_script');
    expect(await problems.textContent()).toContain('Asset keys must be unique');
    await shot(page, 'duplicate-key');

    await page.locator('[data-testid="node-python_script_2"]').click();
    await page.keyboard.press('Delete');
    await expect.poll(nodeLabels).not.toContain('python_script_2');
    expect(s.errors).toEqual([]);
  }, 300_000);

  it('runs, and each node shows its last run even with the Runs tab closed', async () => {
    const { page } = s;
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('asset-count').textContent(), { timeout: 180_000 })
      .toMatch(/^2 assets/);
    await page.locator('button[data-command="project.run"]').click();
    await expect.poll(() => page.getByTestId('run-status').count(), { timeout: 300_000 }).toBe(1);
    await page.getByRole('tab', { name: /^Problems/ }).click();
    // The node shows the run as it goes (… while it runs), then its outcome.
    await expect.poll(() => page.getByTestId('last-run-python_script').count(), { timeout: 300_000 }).toBe(1);
    await shot(page, 'last-run');
    for (const label of ['python_script', 'templated_sql']) {
      await expect
        .poll(() => page.getByTestId(`last-run-${label}`).textContent(), { timeout: 300_000 })
        .toMatch(/^[✓✗]/);
      // A failed run says why in the test's failure, with Dagster's own error events.
      if ((await page.getByTestId(`last-run-${label}`).textContent())?.startsWith('✗'))
        expect.fail(`the run failed:\n${await runErrors(page, projectIdOf(page))}`);
    }
    // The panel collapsed and the view fitted, so the screenshot shows every node with its mark.
    await page.getByRole('button', { name: 'Collapse panel' }).click();
    await page.locator('button[data-command="view.fit"]').click();
    await expect.poll(() => page.getByTestId('last-run-templated_sql').isVisible()).toBe(true);
    await shot(page, 'last-run');
    await page.getByRole('button', { name: 'Expand panel' }).click();
    expect(s.errors).toEqual([]);
  }, 600_000);

  it("imports with visible steps; its warnings stay after a preview and a reload, in the user's words", async () => {
    const { page } = s;
    // The same project as a folder on disk, plus a defs folder the designer cannot show as a node.
    const folder = mkdtempSync(path.join(os.tmpdir(), 'first-hour-import-'));
    const source = path.join(s.dataDir, projectId);
    cpSync(source, folder, {
      recursive: true,
      filter: (p) => !/\/(\.venv|\.dagster_home|\.designer|\.dg|\.git)(\/|$)/.test(p.slice(source.length)),
    });
    // A defs.yaml whose type is not a full Python path: kept as it is, not shown, and said so.
    mkdirSync(path.join(folder, 'src/first_hour/defs/legacy'), { recursive: true });
    writeFileSync(
      path.join(folder, 'src/first_hour/defs/legacy/defs.yaml'),
      'type: PythonScriptComponent\nattributes:\n  execution:\n    path: report.py\n',
    );
    try {
      await page.locator('button[data-command="project.open"]').click();
      await page.getByRole('button', { name: 'Import…' }).click();
      await page.getByLabel('Imported project name').fill('First hour imported');
      await page.getByLabel('Folder path').fill(folder);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const progress = page.getByLabel('Import progress');
      await expect
        .poll(() => progress.textContent(), { timeout: 60_000 })
        .toMatch(/Installing|Reading|Loading/);
      await shot(page, 'import-steps');
      await expect
        .poll(() => page.getByTestId('project-name').textContent(), { timeout: 240_000 })
        .toBe('First hour imported');
      await expect
        .poll(nodeLabels, { timeout: 10_000 })
        .toEqual(expect.arrayContaining(['python_script', 'templated_sql', 'warehouse']));
      // The imported graph opens framed: no node cut off at the canvas's edges.
      await page.waitForTimeout(500);
      const canvas = (await page.locator('.canvas .react-flow').boundingBox())!;
      for (const node of await page.locator('.canvas .react-flow__node').all()) {
        const box = (await node.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(canvas.x);
        expect(box.y).toBeGreaterThanOrEqual(canvas.y);
        expect(box.x + box.width).toBeLessThanOrEqual(canvas.x + canvas.width);
        expect(box.y + box.height).toBeLessThanOrEqual(canvas.y + canvas.height);
      }

      const problems = page.getByLabel('Problems');
      await page.getByRole('tab', { name: /^Problems/ }).click();
      await expect
        .poll(() => problems.textContent())
        .toContain(
          'defs/legacy/defs.yaml: its component type "PythonScriptComponent" is not a full Python path',
        );
      await expect
        .poll(() => page.getByRole('button', { name: 'Preview', exact: true }).isEnabled(), {
          timeout: 120_000,
        })
        .toBe(true);
      await page.getByRole('button', { name: 'Preview', exact: true }).click();
      // The button says Previewing… until the preview has answered.
      await expect
        .poll(() => page.getByRole('button', { name: 'Preview', exact: true }).count(), { timeout: 180_000 })
        .toBe(1);
      await page.getByRole('tab', { name: /^Problems/ }).click();
      expect(await problems.textContent()).toContain(
        'defs/legacy/defs.yaml: its component type "PythonScriptComponent" is not a full Python path',
      );
      await page.reload();
      await page.getByRole('tab', { name: /^Problems/ }).click();
      await expect
        .poll(() => problems.textContent(), { timeout: 30_000 })
        .toContain(
          'defs/legacy/defs.yaml: its component type "PythonScriptComponent" is not a full Python path',
        );
      expect(await problems.textContent()).not.toMatch(/parseAllDocuments|YAML\.parse/);
      // Said once by the import, in plain words: no line starts with Dagster's exception.
      await expect
        .poll(() => problems.locator('li', { hasText: 'While reading dependencies' }).count())
        .toBe(0);
      for (const message of await problems.locator('li .problem-line span:nth-child(2)').allTextContents())
        expect(message).not.toMatch(/^\s*\w*Error:/);
      await shot(page, 'import-warnings');
      // Also for a node added a moment ago, whose Code tab is opened before its first sync has written the starter.
      const before = await nodeLabels();
      const pkg = projectFile(projectIdOf(page)).package_name as string;
      await page
        .getByTestId('palette-dagster.PythonScriptComponent')
        .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: 150, y: 40 } });
      await expect.poll(async () => (await nodeLabels()).length).toBe(before.length + 1);
      const fresh = (await nodeLabels()).find((l) => !before.includes(l))!;
      await page.locator(`[data-testid="node-${fresh}"]`).click();
      await propertyTab(page, 'Code').click();
      await expect
        .poll(() => page.getByLabel(`Contents of src/${pkg}/defs/${fresh}/${fresh}.py`).textContent(), {
          timeout: 60_000,
        })
        .toContain('open_dagster_pipes');
      await shot(page, 'fresh-node-code');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    expect(s.errors).toEqual([]);
  }, 600_000);
});
