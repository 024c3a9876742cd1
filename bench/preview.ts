// Preview and sync on real projects. First a dbt project (fixtures/dbt_shop, 9 models) plus 3 script nodes, side
// by side with `dg list defs --json` and a bare `dbt parse` on the same workspace: warm preview with nothing
// changed, preview after editing one model's SQL, cold preview. Then 6 script nodes: editing a script, and an
// incremental sync after one attribute edit next to a full rescaffold.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { GraphNode } from '@designer/shared';
import { buildApp } from '../server/src/app.js';
import { ms, percentile, report, timeIt } from './stats.js';

const NODES = 6;
const DBT_SHOP = path.resolve(import.meta.dirname, '..', 'fixtures', 'dbt_shop');

export async function benchPreview(): Promise<void> {
  await benchDbtPreview();
  await benchScriptPreview();
}

/** A dbt project of 9 models and 3 script nodes: our preview next to `dg list defs --json` and `dbt parse`. */
export async function benchDbtPreview(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-preview-dbt-'));
  const app = await buildApp({ dataDir, createWorkspaces: true, prepareCatalog: false });
  const { cli, inspector, projects, workspaces } = app.services;
  const loadAtStart = os.loadavg()[0]!.toFixed(1);
  try {
    const created = (
      await app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Bench dbt' } })
    ).json();
    await workspaces.settle();
    const root = workspaces.requireReady(created.id);
    cpSync(DBT_SHOP, path.join(root, 'dbt_shop'), { recursive: true });
    const script = (i: number): GraphNode => ({
      id: `s${i}`,
      type: 'component',
      position: { x: 0, y: i * 200 },
      data: {
        label: `extract_${i}`,
        component_type: 'dagster.PythonScriptComponent',
        attributes: { assets: [{ key: `raw/extract_${i}` }], execution: { path: `extract_${i}.py` } },
      },
    });
    const dbt: GraphNode = {
      id: 'd',
      type: 'component',
      position: { x: 400, y: 0 },
      data: {
        label: 'shop_dbt',
        component_type: 'dagster_dbt.DbtProjectComponent',
        attributes: { project: '{{ context.project_root }}/dbt_shop' },
      },
    };
    const current = await projects.read(created.id);
    await projects.save(created.id, {
      version: current.version,
      graph: {
        nodes: [script(0), script(1), script(2), dbt],
        edges: [0, 1, 2].map((i) => ({ id: `e${i}`, source: `s${i}`, target: 'd' })),
      },
    });
    const previewOnce = async () => {
      const res = await app.inject({ method: 'POST', url: `/api/projects/${created.id}/preview` });
      const body = res.json() as {
        assets: unknown[];
        checks: unknown[];
        problems: unknown[];
        steps: Array<{ id: string; status: string; durationMs: number }>;
      };
      if (res.statusCode !== 200 || body.problems.length > 0)
        throw new Error(`preview failed: ${res.body.slice(0, 2000)}`);
      return body;
    };
    const first = await previewOnce(); // syncs, installs dagster-dbt, first state
    const model = path.join(root, 'dbt_shop', 'models', 'stg_orders.sql');
    const original = readFileSync(model, 'utf8');

    const dg: number[] = [];
    for (let i = 0; i < 3; i += 1) dg.push(await timeIt(() => cli.listDefs(root)));
    const dbtBin = cli.venvBin(root, 'dbt');
    const dbtDir = path.join(root, 'dbt_shop');
    const bareParse = () =>
      timeIt(() =>
        promisify(execFile)(dbtBin, ['parse', '--project-dir', dbtDir, '--profiles-dir', dbtDir], {
          cwd: dbtDir,
          env: cli.toolEnv(cli.venvEnv(root)),
        }),
      );

    // Cold: a new inspection process, the state kept (what a restart of the designer meets).
    inspector.stop(root);
    const cold = await timeIt(previewOnce);
    // Cold and first ever: no state yet either (what an import meets).
    inspector.stop(root);
    await fs.rm(path.join(root, 'src', 'bench_dbt', 'defs', '.local_defs_state'), {
      recursive: true,
      force: true,
    });
    await fs.rm(path.join(root, '.designer', 'defs-state.json'), { force: true });
    const coldFirst = await timeIt(previewOnce);

    const warm: number[] = [];
    for (let i = 0; i < 7; i += 1) warm.push(await timeIt(previewOnce));
    // One model edited, then a bare `dbt parse` and our preview, each round side by side (the machine's load
    // swings, so a ratio is only fair within a round). A person edits SQL between two previews: the rounds are
    // 3 s apart, time in which the warm process prepares dbt (once per process).
    // The warm process prepares dbt once (a throwaway parse) when it has been idle for a second: let it, so no
    // round's bare parse shares the CPU with it; the preview sent meanwhile waits for it (shown below).
    await new Promise((r) => setTimeout(r, 3000));
    const settle = await timeIt(previewOnce);
    const edited: number[] = [];
    const parse: number[] = [];
    const rounds: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      writeFileSync(model, `${original}-- edit ${i}\n`);
      const bare = await bareParse();
      parse.push(bare);
      writeFileSync(model, `${original}-- preview edit ${i}\n`);
      await new Promise((r) => setTimeout(r, 3000));
      let body: Awaited<ReturnType<typeof previewOnce>> | undefined;
      const ours = await timeIt(async () => (body = await previewOnce()));
      edited.push(ours);
      const step = body?.steps.find((s) => s.id.startsWith('state:'));
      const state = step ? `state ${step.status} ${ms(step.durationMs)}` : 'no state step';
      rounds.push(`${ms(ours)} vs ${ms(bare)} (${(ours / bare).toFixed(2)}×, ${state})`);
    }
    writeFileSync(model, original);

    const dgP50 = percentile(dg, 50);
    const warmP50 = percentile(warm, 50);
    const parseP50 = percentile(parse, 50);
    const editP50 = percentile(edited, 50);
    report(
      `preview of a dbt project (${first.assets.length} assets, ${first.checks.length} checks: 9 models, 3 seeds, 5 tests) and 3 script nodes`,
      [
        [
          'load average (1 min) at the start / the end (2 cores)',
          `${loadAtStart} / ${os.loadavg()[0]!.toFixed(1)}`,
        ],
        ['dg list defs --json (p50 of 3; refreshes dbt state every time)', ms(dgP50)],
        ['bare dbt parse of the same project (p50 of 3, one model edited each time)', ms(parseP50)],
        [
          'our preview, warm, nothing changed (p50 / p99 of 7, HTTP incl. sync)',
          `${ms(warmP50)} / ${ms(percentile(warm, 99))} → ${(dgP50 / warmP50).toFixed(0)}× faster than dg list defs (goal < 500 ms, ≥ 20×)`,
        ],
        [
          "our preview after editing one model's SQL (p50 of 3)",
          `${ms(editP50)} = ${(editP50 / parseP50).toFixed(2)}× bare dbt parse (goal ≤ 1.3×); rounds (ours vs dbt parse): ${rounds.join('; ')}`,
        ],
        ['a preview sent while the warm process prepares dbt (once per process, after 1 s idle)', ms(settle)],
        [
          'our preview, cold process, state kept',
          `${ms(cold)} = ${(cold / dgP50).toFixed(2)}× dg list defs (goal ≤ 1×)`,
        ],
        [
          'our preview, cold process, no state yet (first preview after an import)',
          `${ms(coldFirst)} = ${(coldFirst / dgP50).toFixed(2)}× dg list defs`,
        ],
      ],
    );
  } finally {
    inspector.stop();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** 6 script nodes in a chain: script edits located on their node, and incremental sync against a rescaffold. */
export async function benchScriptPreview(): Promise<void> {
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
