// Preview and sync on one real project: `dg list defs --json` next to our cold and warm preview,
// and an incremental sync after one attribute edit next to a full rescaffold.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { GraphNode } from '@designer/shared';
import { buildApp } from '../server/src/app.js';
import { ms, percentile, report, timeIt } from './stats.js';

const NODES = 6;

export async function benchPreview(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-preview-'));
  const app = await buildApp({ dataDir, createWorkspaces: true, prepareCatalog: false });
  const { cli, inspector, sync, projects, workspaces } = app.services;
  try {
    const created = (
      await app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Bench preview' } })
    ).json();
    await workspaces.settle();
    const root = workspaces.requireReady(created.id);
    const node = (i: number, description: string): GraphNode => ({
      id: `n${i}`,
      type: 'component',
      position: { x: i * 300, y: 0 },
      data: {
        label: `step_${i}`,
        component_type: 'dagster.PythonScriptComponent',
        attributes: {
          assets: [{ key: `bench/step_${i}`, description }],
          execution: { path: `step_${i}.py` },
        },
      },
    });
    const graph = (description: string) => ({
      nodes: Array.from({ length: NODES }, (_, i) => node(i, description)),
      edges: Array.from({ length: NODES - 1 }, (_, i) => ({
        id: `e${i}`,
        source: `n${i}`,
        target: `n${i + 1}`,
      })),
    });
    const save = async (description: string) => {
      const current = await projects.read(created.id);
      await projects.save(created.id, { version: current.version, graph: graph(description) });
      return projects.read(created.id);
    };
    let project = await save('first');
    const fullFirst = await timeIt(() => sync.sync(project, root));
    const defs = path.join(root, 'src', project.package_name, 'defs');
    for (let i = 0; i < NODES; i += 1)
      writeFileSync(
        path.join(defs, `step_${i}`, `step_${i}.py`),
        'from dagster_pipes import open_dagster_pipes\n\nwith open_dagster_pipes() as context:\n    context.log.info("ok")\n',
      );

    const dg: number[] = [];
    for (let i = 0; i < 3; i += 1) dg.push(await timeIt(() => cli.listDefs(root)));
    inspector.stop(root);
    const cold = (await inspector.inspect(root)).durationMs;
    const warm: number[] = [];
    for (let i = 0; i < 5; i += 1) warm.push((await inspector.inspect(root)).durationMs);

    // Editing a script: save through the files API, preview, and find the syntax error on its node (the way
    // the code editor does it), next to `dg check defs`, which loads the definitions but not the scripts.
    const scriptPath = `src/${project.package_name}/defs/step_0/step_0.py`;
    const editRound: number[] = [];
    let located = '';
    for (let i = 0; i < 3; i += 1) {
      const current = (await app.inject({ url: `/api/projects/${created.id}/files/${scriptPath}` })).json();
      editRound.push(
        await timeIt(async () => {
          await app.inject({
            method: 'PUT',
            url: `/api/projects/${created.id}/files/${scriptPath}`,
            headers: { 'if-match': current.hash },
            payload: { content: `${i % 2 ? 'x = 1\n' : ''}def broken(:\n    pass\n` },
          });
          const problems = (
            await app.inject({ method: 'POST', url: `/api/projects/${created.id}/preview` })
          ).json().problems as Array<{ message: string; line?: number; nodeId?: string }>;
          const p = problems.find((x) => x.message.includes('SyntaxError'));
          located = p ? `${p.nodeId} line ${p.line}` : 'not found';
        }),
      );
    }
    const check = await cli.checkDefs(root);
    const checkSees = /SyntaxError/.test(`${check.stdout}${check.stderr}`);
    writeFileSync(path.join(root, scriptPath), 'from dagster_pipes import open_dagster_pipes\n');

    const incremental: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      project = await save(`edit ${i}`);
      // Only one node changes: its description. Validation is part of the sync.
      const one = {
        ...project,
        graph: {
          ...project.graph,
          nodes: project.graph.nodes.map((n, j) => (j === 0 ? n : node(j, 'first'))),
        },
      };
      await projects.save(created.id, { version: project.version, graph: one.graph });
      project = await projects.read(created.id);
      incremental.push(await timeIt(() => sync.sync(project, root)));
    }
    // A full rescaffold: every folder and the sync state gone, everything written again.
    for (let i = 0; i < NODES; i += 1)
      await fs.rm(path.join(defs, `step_${i}`), { recursive: true, force: true });
    await fs.rm(path.join(root, '.designer'), { recursive: true, force: true });
    const full = await timeIt(() => sync.sync(project, root));

    const dgP50 = percentile(dg, 50);
    const warmP50 = percentile(warm, 50);
    const incP50 = percentile(incremental, 50);
    report(`preview and sync (${NODES} Python-script components in a chain)`, [
      ['dg list defs --json (p50 of 3)', ms(dgP50)],
      ['our preview, cold (starts Python, imports dagster)', ms(cold)],
      [
        'our preview, warm p50 of 5 (forked child loads the definitions afresh)',
        `${ms(warmP50)} → ${(dgP50 / warmP50).toFixed(1)}× faster than dg list defs (goal ≥ 5×)`,
      ],
      [
        'edit a script through the API → its syntax error on the node (PUT + preview, p50 of 3)',
        `${ms(percentile(editRound, 50))} (${located})`,
      ],
      [
        'dg check defs on the same broken script',
        `${ms(check.durationMs)}, reports the error: ${checkSees ? 'yes' : 'no (scripts run only at materialization)'}`,
      ],
      ['incremental sync after one attribute edit (p50 of 3, schema validation of every file)', ms(incP50)],
      [
        'full rescaffold of every component (dg scaffold defs ×6, same validation)',
        `${ms(full)} (first sync: ${ms(fullFirst)}) → ${(full / incP50).toFixed(1)}× (goal ≥ 10×)`,
      ],
    ]);
  } finally {
    inspector.stop();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
