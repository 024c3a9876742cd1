// A person's first session: create a project, build a two-component pipeline, edit, undo, copy,
// tidy up, save, reload, and see the same graph. Screenshots go to docs/screenshots/.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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

describe('designer end to end', () => {
  it('builds, edits, saves and reloads a pipeline as a user would', async () => {
    const { page } = s;
    await page.goto(s.url);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'start-light.png') });

    // Create a project.
    await page.getByRole('button', { name: 'New project' }).first().click();
    await page.getByLabel('Project name').fill('Shop analytics');
    await page.getByLabel('Project description').fill('Orders from the shop, cleaned and aggregated.');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Shop analytics');
    const projectId = /#\/projects\/([0-9a-f-]+)/.exec(page.url())![1]!;

    // Search the palette: only matching components stay.
    const palette = page.locator('.palette-item');
    await expect.poll(() => palette.count(), { timeout: 60_000 }).toBeGreaterThan(8);
    await page.keyboard.press('/');
    await page.keyboard.type('templated sql');
    await expect.poll(() => palette.count()).toBe(1);
    await page.getByLabel('Search components').fill('');

    // Drag two components onto the canvas.
    await page
      .getByTestId('palette-dagster.PythonScriptComponent')
      .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: 150, y: 150 } });
    await page
      .getByTestId('palette-dagster.TemplatedSqlComponent')
      .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: 520, y: 260 } });
    await expect.poll(nodeLabels).toEqual(['python_script', 'templated_sql']);

    // Connect them: python_script's right handle to templated_sql's left handle.
    await mouseDrag(
      page,
      await centreOf(page, '[data-testid="node-python_script"] .react-flow__handle-right'),
      await centreOf(page, '[data-testid="node-templated_sql"] .react-flow__handle-left'),
    );
    await expect.poll(edgeCount).toBe(1);

    // A connection back would be a cycle: refused with a reason.
    await mouseDrag(
      page,
      await centreOf(page, '[data-testid="node-templated_sql"] .react-flow__handle-right'),
      await centreOf(page, '[data-testid="node-python_script"] .react-flow__handle-left'),
    );
    await expect.poll(() => page.locator('.toast.error').first().textContent()).toContain('cycle');
    expect(await edgeCount()).toBe(1);

    // A problem in the Problems tab leads to its component and focuses the field at fault.
    await page.getByRole('tab', { name: /Problems/ }).click();
    await page.locator('.problems button', { hasText: 'templated_sql: connection' }).first().click();
    await expect.poll(() => page.getByLabel('Node name').inputValue()).toBe('templated_sql');
    await expect
      .poll(() => page.evaluate('document.activeElement && document.activeElement.id'))
      .toMatch(/_connection$/);

    // Fill a field of the real schema: the script's execution path.
    await page.locator('[data-testid="node-python_script"]').click();
    const pathField = page.locator('.properties input[id$="execution_path"]');
    await pathField.fill('extract_orders.py');
    // "ok" once the file exists: the sync after the save writes a starter for the new path ("writing file…" till then).
    await expect
      .poll(() => page.locator('[data-testid="node-python_script"] .node-status').textContent(), {
        timeout: 120_000,
      })
      .toBe('ok');
    await page.locator('.properties [role="tab"]', { hasText: 'YAML' }).click();
    await expect
      .poll(() => page.getByLabel('Component YAML').textContent())
      .toContain('path: extract_orders.py');

    // Undo the edge deletion, redo it.
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.locator('.react-flow__edge').first().click({ force: true });
    await page.keyboard.press('Delete');
    await expect.poll(edgeCount).toBe(0);
    await page.keyboard.press('Control+z');
    await expect.poll(edgeCount).toBe(1);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(edgeCount).toBe(0);
    await page.keyboard.press('Control+z');
    await expect.poll(edgeCount).toBe(1);

    // Copy and paste a node: the copy gets a unique label and keeps its attributes.
    await page.locator('[data-testid="node-python_script"]').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(nodeLabels).toEqual(['python_script', 'templated_sql', 'python_script_2']);
    // The copy lands on a free spot, not on top of the original (nor of any other node).
    const boxes = await Promise.all(
      ['python_script', 'templated_sql', 'python_script_2'].map(
        async (label) => (await page.locator(`[data-testid="node-${label}"]`).boundingBox())!,
      ),
    );
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1))
        expect(
          a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height,
        ).toBe(false);

    // The asset key sits under the name (not only deep in the form); typing there changes the key.
    // (The panel of a newly selected node is built in the background, so for a frame or two it still shows the
    // copy's, whose key is python_script too: wait for the original's "Follows the name", not just the key.)
    await page.locator('[data-testid="node-python_script"]').click();
    const keyField = page.getByLabel('Asset key', { exact: true });
    await expect.poll(() => page.locator('.asset-key-field').textContent()).toContain('Follows the name');
    await expect.poll(() => keyField.inputValue()).toBe('python_script');
    await keyField.fill('raw orders');
    await expect
      .poll(() => page.locator('.asset-key-field [role="alert"]').textContent())
      .toContain('no spaces');
    await keyField.fill('raw/orders');
    await expect.poll(() => page.locator('.asset-key-field').textContent()).toContain('Your own key');
    await page.locator('.properties [role="tab"]', { hasText: 'YAML' }).click();
    await expect.poll(() => page.getByLabel('Component YAML').textContent()).toContain('key: raw/orders');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'asset-key-field.png') });
    await keyField.fill('python_script');
    await expect.poll(() => page.getByLabel('Component YAML').textContent()).toContain('key: python_script');

    // Tidy up with ELK: nodes move to a left-to-right layout.
    const before = await page.locator('[data-testid="node-templated_sql"]').boundingBox();
    await page.getByRole('button', { name: 'Tidy up (auto-layout)' }).click();
    await expect
      .poll(async () =>
        JSON.stringify(await page.locator('[data-testid="node-templated_sql"]').boundingBox()),
      )
      .not.toBe(JSON.stringify(before));
    const a = (await page.locator('[data-testid="node-python_script"]').boundingBox())!;
    const b = (await page.locator('[data-testid="node-templated_sql"]').boundingBox())!;
    expect(b.x).toBeGreaterThan(a.x + a.width);

    // Save, and the file on disk has the graph.
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved');
    const file = JSON.parse(readFileSync(path.join(s.dataDir, `${projectId}.json`), 'utf8'));
    expect(file.graph.nodes.map((n: { data: { label: string } }) => n.data.label)).toEqual([
      'python_script',
      'templated_sql',
      'python_script_2',
    ]);
    expect(file.graph.nodes[0].data.attributes).toEqual({
      assets: [{ key: 'python_script' }],
      execution: { path: 'extract_orders.py' },
    });
    expect(file.graph.edges).toHaveLength(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'designer-light.png') });

    // Reload: the same graph comes back.
    await page.reload();
    await expect.poll(nodeLabels).toEqual(['python_script', 'templated_sql', 'python_script_2']);
    expect(await edgeCount()).toBe(1);

    // Dark theme.
    await page.getByRole('button', { name: 'Toggle dark theme' }).click();
    await page.locator('[data-testid="node-templated_sql"]').click();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'designer-dark.png') });

    // Rename the project from the top bar.
    await page.getByTestId('project-name').dblclick();
    await page.locator('input.project-rename').fill('Shop analytics (orders)');
    await page.keyboard.press('Enter');
    await expect
      .poll(
        async () => (await s.app.inject({ method: 'GET', url: `/api/projects/${projectId}` })).json().name,
      )
      .toBe('Shop analytics (orders)');
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Shop analytics (orders)');
    expect(s.errors).toEqual([]);
  });

  it('shows a conflict dialog instead of losing work when the project changed elsewhere', async () => {
    const { page } = s;
    const projectId = /#\/projects\/([0-9a-f-]+)/.exec(page.url())![1]!;
    const current = (await s.app.inject({ method: 'GET', url: `/api/projects/${projectId}` })).json();
    await s.app.inject({
      method: 'PATCH',
      url: `/api/projects/${projectId}`,
      payload: { name: 'Renamed elsewhere', version: current.version },
    });
    await page.locator('button[data-command="view.fit"]').click();
    await page.locator('[data-testid="node-python_script_2"]').click();
    await page.keyboard.press('Delete');
    await expect
      .poll(() => page.getByRole('dialog', { name: 'This project changed elsewhere' }).isVisible())
      .toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'conflict-dark.png') });
    await page.getByRole('button', { name: 'Overwrite with mine' }).click();
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved');
    const file = (await s.app.inject({ method: 'GET', url: `/api/projects/${projectId}` })).json();
    expect(file.graph.nodes).toHaveLength(2);
  });
});

describe('preview end to end', () => {
  it('previews the real asset graph of a two-script pipeline', async () => {
    const { page } = s;
    await page.goto(s.url);
    await page.getByRole('button', { name: 'New project' }).first().click();
    await page.getByLabel('Project name').fill('Preview demo');
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => page.getByTestId('project-name').textContent()).toBe('Preview demo');
    const projectId = /#\/projects\/([0-9a-f-]+)/.exec(page.url())![1]!;

    const pane = page.locator('.react-flow__pane');
    await page
      .getByTestId('palette-dagster.PythonScriptComponent')
      .dragTo(pane, { targetPosition: { x: 150, y: 150 } });
    await page
      .getByTestId('palette-dagster.PythonScriptComponent')
      .dragTo(pane, { targetPosition: { x: 550, y: 150 } });
    await expect.poll(nodeLabels).toEqual(['python_script', 'python_script_2']);

    // Describe each script's asset in the node's YAML view (it round-trips with the form).
    for (const [label, key] of [
      ['python_script', 'raw/orders'],
      ['python_script_2', 'marts/daily_orders'],
    ] as const) {
      await page.locator(`[data-testid="node-${label}"]`).click();
      await page.locator('.properties [role="tab"]', { hasText: 'YAML' }).click();
      await page
        .getByLabel('Component YAML')
        .fill(
          `type: dagster.PythonScriptComponent\nattributes:\n  assets:\n    - key: ${key}\n  execution:\n    path: ${label}.py\n`,
        );
      await page.locator('.properties .props-header').click();
      await expect
        .poll(() => page.locator(`[data-testid="node-${label}"] .node-status`).textContent(), {
          timeout: 120_000, // the sync after the save writes the script first ("writing file…")
        })
        .toBe('ok');
    }
    await mouseDrag(
      page,
      await centreOf(page, '[data-testid="node-python_script"] .react-flow__handle-right'),
      await centreOf(page, '[data-testid="node-python_script_2"] .react-flow__handle-left'),
    );
    await expect.poll(edgeCount).toBe(1);

    // Preview: save, sync into the real Dagster project, load its definitions.
    await expect
      .poll(() => page.getByRole('button', { name: 'Preview', exact: true }).isEnabled(), {
        timeout: 120_000,
      })
      .toBe(true);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('asset-count').textContent(), { timeout: 120_000 })
      .toMatch(/^2 assets/);
    const rows = await page.locator('table.assets tbody tr').allTextContents();
    expect(rows.find((r) => r.startsWith('marts/daily_orders'))).toContain('raw/orders');
    await expect
      .poll(() => page.locator('[data-testid="node-python_script_2"] .node-assets').textContent())
      .toBe('1 asset');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'preview-assets.png') });

    // The lineage view draws the same graph, grouped by component.
    await page.getByRole('button', { name: 'Lineage' }).click();
    await expect.poll(() => page.locator('[data-testid="lineage"] .lineage-asset').count()).toBe(2);
    await expect.poll(() => page.locator('[data-testid="lineage"] .react-flow__edge').count()).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'preview-lineage.png') });

    // The generated files in the Files tab: a managed defs.yaml is shown read-only, with a way to its node.
    await page.getByRole('tab', { name: 'Files' }).click();
    await page
      .getByRole('button', { name: /^defs\.yaml\s+src\/preview_demo\/defs\/python_script_2/ })
      .click();
    await expect
      .poll(() =>
        page.getByLabel('Contents of src/preview_demo/defs/python_script_2/defs.yaml').textContent(),
      )
      .toContain('raw/orders');
    expect(
      await page
        .getByLabel('Contents of src/preview_demo/defs/python_script_2/defs.yaml')
        .getAttribute('contenteditable'),
    ).toBe('false');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'files.png') });

    // Edit the script in the component's Code tab: an import that cannot resolve shows on the node with its
    // line once saved (the preview refreshes by itself); removing it clears the problem.
    await page.locator('[data-testid="node-python_script"]').click();
    await page.locator('.properties [role="tab"]', { hasText: 'Code' }).click();
    const script = page.getByLabel('Contents of src/preview_demo/defs/python_script/python_script.py');
    await expect.poll(() => script.textContent(), { timeout: 30_000 }).toContain('open_dagster_pipes');
    await script.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('import not_installed_pkg');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('Unsaved changes').count()).toBe(1);
    await page.keyboard.press('Control+s');
    await expect
      .poll(() => page.locator('[data-testid="node-python_script"] .node-status').textContent(), {
        timeout: 120_000,
      })
      .toBe('1 error');
    await page.getByRole('tab', { name: /^Problems/ }).click();
    await expect
      .poll(() => page.getByLabel('Problems').textContent())
      .toContain("No module named 'not_installed_pkg'");
    expect(await page.getByLabel('Problems').textContent()).toContain(
      'src/preview_demo/defs/python_script/python_script.py:1',
    );
    await expect.poll(() => page.locator('.code-editor .cm-lint-marker-error').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'code-editor.png') });
    await script.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Control+s');
    await expect
      .poll(() => page.locator('[data-testid="node-python_script"] .node-status').textContent(), {
        timeout: 120_000,
      })
      .toBe('ok');
    expect(
      readFileSync(
        path.join(s.dataDir, projectId, 'src', 'preview_demo', 'defs', 'python_script', 'python_script.py'),
        'utf8',
      ),
    ).not.toContain('not_installed_pkg');

    // The Environment tab: a variable a node references, missing, then set (masked, never shown again).
    await page.locator('[data-testid="node-python_script_2"]').click();
    await page.locator('.properties [role="tab"]', { hasText: 'YAML' }).click();
    await page
      .getByLabel('Component YAML')
      .fill(
        'type: dagster.PythonScriptComponent\nattributes:\n  assets:\n    - key: marts/daily_orders\n      metadata:\n        warehouse: "{{ env.WAREHOUSE_TOKEN }}"\n  execution:\n    path: python_script_2.py\n',
      );
    await page.locator('.properties .props-header').click();
    await page.getByRole('tab', { name: 'Environment' }).click();
    await expect
      .poll(() => page.getByLabel('Environment variables').textContent(), { timeout: 30_000 })
      .toContain('WAREHOUSE_TOKEN');
    await page.getByLabel('Description of WAREHOUSE_TOKEN').fill('Token of the warehouse');
    await page.getByLabel('Value of WAREHOUSE_TOKEN').fill('tok-e2e-secret-42');
    await page.getByLabel('Value of WAREHOUSE_TOKEN').press('Enter');
    await expect.poll(() => page.getByLabel('Environment variables').textContent()).toContain('set ••••••42');
    expect(await page.content()).not.toContain('tok-e2e-secret-42');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'environment.png') });

    // Export: the browser downloads <package>.zip.
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.locator('button[data-command="project.export"]').click(),
    ]);
    expect(download.suggestedFilename()).toBe('preview_demo.zip');
    const zipPath = path.join(s.dataDir, 'download.zip');
    await download.saveAs(zipPath);
    expect(readFileSync(zipPath).subarray(0, 2).toString()).toBe('PK');

    // Push to Git: see the changes, then commit and push to a local bare repository.
    const bare = path.join(s.dataDir, 'remote.git');
    execFileSync('git', ['init', '--quiet', '--bare', bare]);
    await page.locator('button[data-command="project.push"]').click();
    await page.getByLabel('Remote').fill(bare);
    await page.getByLabel('Branch').fill('designer/preview-demo');
    await page.getByRole('button', { name: 'Show changes' }).click();
    await expect
      .poll(() => page.getByLabel('Changed files').textContent(), { timeout: 60_000 })
      .toContain('src/preview_demo/defs/python_script_2/defs.yaml');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'git-push.png') });
    await page.getByRole('button', { name: 'Commit and push' }).click();
    await expect
      .poll(() => page.locator('.toast.success').last().textContent(), { timeout: 60_000 })
      .toContain('to designer/preview-demo (new branch)');
    expect(
      execFileSync('git', ['--git-dir', bare, 'ls-tree', '-r', '--name-only', 'designer/preview-demo'], {
        encoding: 'utf8',
      }),
    ).toContain('src/preview_demo/defs/python_script/defs.yaml');

    // Import the exported ZIP as a new project: the same canvas comes back.
    await page.locator('button[data-command="project.open"]').click();
    await page.getByRole('button', { name: 'Import…' }).click();
    await page.getByLabel('Imported project name').fill('Imported demo');
    await page.getByRole('tab', { name: 'ZIP file' }).click();
    await page.getByLabel('ZIP file').setInputFiles(zipPath);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('project-name').textContent(), { timeout: 120_000 })
      .toBe('Imported demo');
    await expect.poll(nodeLabels).toEqual(['python_script', 'python_script_2']);
    expect(await edgeCount()).toBe(1);

    // Run everything and watch it succeed in the Runs tab (the scripts are written as a user would).
    const importedId = /#\/projects\/([0-9a-f-]+)/.exec(page.url())![1]!;
    for (const label of ['python_script', 'python_script_2']) {
      writeFileSync(
        path.join(s.dataDir, importedId, 'src', 'preview_demo', 'defs', label, `${label}.py`),
        `from dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.log.info("${label} ran")\n`,
      );
    }
    await page.locator('button[data-command="project.run"]').click();
    await expect
      .poll(() => page.getByTestId('run-status').textContent(), { timeout: 180_000 })
      .toBe('SUCCESS');
    await expect.poll(() => page.getByLabel('Run logs').textContent()).toContain('python_script_2 ran');
    await expect.poll(() => page.getByTestId('last-run-python_script_2').textContent()).toMatch(/^✓/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'runs.png') });

    // Run again with configuration: the form comes from Dagster's config schema, plus an env override.
    await page.locator('button[data-command="project.runWith"]').click();
    const dialog = page.getByRole('dialog', { name: 'Run with configuration' });
    await expect
      .poll(() => dialog.textContent(), { timeout: 60_000 })
      .toContain('take no configuration of their own');
    await dialog.getByRole('button', { name: 'Show execution settings' }).click();
    await expect.poll(() => dialog.locator('.rjsf').count()).toBe(1);
    // The same configuration as YAML, as in Dagster's launchpad: run every step in one process.
    await dialog.getByRole('button', { name: 'YAML' }).click();
    await dialog.getByLabel('Run configuration YAML').fill('execution:\n  config:\n    in_process: {}\n');
    await dialog.getByRole('button', { name: 'Add override' }).click();
    await dialog.getByLabel('Override name 1').fill('RUN_NOTE');
    await dialog.getByLabel('Override value 1').fill('from-the-dialog');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'run-dialog.png') });
    await dialog.getByRole('button', { name: 'Launch run' }).click();
    const history = async () =>
      (await s.app.inject({ method: 'GET', url: `/api/projects/${importedId}/runs` })).json().runs as Array<{
        status: string;
        runId: string;
      }>;
    await expect.poll(async () => (await history()).length, { timeout: 120_000 }).toBe(2);
    await expect.poll(async () => (await history())[0]!.status, { timeout: 180_000 }).toBe('SUCCESS');
    const newest = (await history())[0]!;
    const logs = (await s.app.inject({ method: 'GET', url: `/api/runs/${newest.runId}/logs` })).json();
    expect(JSON.stringify(logs.events)).toMatch(/in process/i); // the YAML's in_process executor ran it
    const first = (await history())[1]!;
    const firstLogs = (await s.app.inject({ method: 'GET', url: `/api/runs/${first.runId}/logs` })).json();
    expect(JSON.stringify(firstLogs.events)).toMatch(/in process/i); // the designer's default (as dg launch)
    expect(s.errors).toEqual([]);
  });
});
