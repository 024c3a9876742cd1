// Project store: save and load p50/p99 of a generated 1000-node, 1000-edge project through the API.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { acyclicLinks, type Graph } from '@designer/shared';
import { buildApp } from '../server/src/app.js';
import { ms, percentile, report, timeIt } from './stats.js';

export function generateGraph(nodeCount: number, edgeCount: number): Graph {
  const nodes = Array.from({ length: nodeCount }, (_, i) => ({
    id: `n${i}`,
    type: 'component' as const,
    position: { x: (i % 40) * 260, y: Math.floor(i / 40) * 140 },
    data: {
      label: `asset_${i}`,
      component_type: i % 3 === 0 ? 'dagster.TemplatedSqlComponent' : 'dagster.PythonScriptComponent',
      attributes: {
        assets: [{ key: `raw/asset_${i}`, description: `Generated asset number ${i}`, kinds: ['python'] }],
        execution: { path: `asset_${i}.py` },
      },
      translation: { group_name: `group_${i % 10}` },
    },
  }));
  // Edges only go from a lower to a higher index, so the graph is acyclic by construction.
  const edges = acyclicLinks(nodeCount, edgeCount, 42).map(([a, b]) => ({
    id: `e${a}-${b}`,
    source: `n${a}`,
    target: `n${b}`,
  }));
  return { nodes, edges };
}

export async function benchStore(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-store-'));
  const app = await buildApp({ dataDir, createWorkspaces: false, prepareCatalog: false });
  try {
    const project = (
      await app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Big' } })
    ).json();
    const graph = generateGraph(1000, 1000);
    const saves: number[] = [];
    const saveCpu: number[] = [];
    const saveWait: number[] = [];
    const loads: number[] = [];
    // Load-independent figures beside the wall-clock ones (the machine is shared): the process's CPU time per save
    // (all threads) and V8's garbage-collection pauses during the timed saves.
    const cpuMs = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    let gcMs = 0;
    let gcCount = 0;
    let gcLongest = 0;
    let timing = false;
    const gc = new PerformanceObserver((list) => {
      if (!timing) return;
      for (const entry of list.getEntries()) {
        gcMs += entry.duration;
        gcCount += 1;
        gcLongest = Math.max(gcLongest, entry.duration);
      }
    });
    gc.observe({ entryTypes: ['gc'] });
    const loadBefore = os.loadavg()[0]!;
    const WARM_UP = 20; // JIT and first-use compilation of the validators are not what a user waits for
    for (let v = 1; v <= 200 + WARM_UP; v += 1) {
      graph.nodes[v % 1000]!.position.x += 1;
      if (v <= WARM_UP) {
        await app.inject({
          method: 'PUT',
          url: `/api/projects/${project.id}`,
          payload: { version: v, graph },
        });
        await app.inject({ method: 'GET', url: `/api/projects/${project.id}` });
        continue;
      }
      // The body as a browser sends it: text, parsed by the server (inject would otherwise stringify it in the timing).
      const payload = JSON.stringify({ version: v, graph });
      const cpu = cpuMs();
      timing = true;
      saves.push(
        await timeIt(() =>
          app.inject({
            method: 'PUT',
            url: `/api/projects/${project.id}`,
            headers: { 'content-type': 'application/json' },
            payload,
          }),
        ),
      );
      timing = false;
      saveCpu.push(cpuMs() - cpu);
      saveWait.push(Math.max(0, saves.at(-1)! - saveCpu.at(-1)!));
      loads.push(await timeIt(() => app.inject({ method: 'GET', url: `/api/projects/${project.id}` })));
    }
    // History (issue 18): written off the save's path once saves pause; here its own cost per entry, each a
    // save that changes one label, then the write (snapshot, diff summary, git blobs/tree/commit).
    const history = app.services.history!;
    history.options.squashMs = -1;
    const historyWrites: number[] = [];
    let version = 221;
    for (let i = 0; i < 20; i += 1) {
      graph.nodes[i]!.data.label = `renamed_${i}`;
      await app.inject({ method: 'PUT', url: `/api/projects/${project.id}`, payload: { version, graph } });
      version += 1;
      historyWrites.push(await timeIt(() => history.flush(project.id)));
    }
    gc.disconnect();
    const loadAfter = os.loadavg()[0]!;
    const size = JSON.stringify(graph).length;
    report(
      `project store (1000 nodes, 1000 edges, ${(size / 1024).toFixed(0)} KiB, 200 rounds after 20 warm-up; ${new Date().toISOString().slice(0, 16)}Z, load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${os.cpus().length} cores)`,
      [
        [
          'save p50 / p95 / p99 (HTTP body parse, validate, serialise, fsync, rename)',
          `${ms(percentile(saves, 50))} / ${ms(percentile(saves, 95))} / ${ms(percentile(saves, 99))}   (goal p99 < 20 ms)`,
        ],
        [
          'save: process CPU time p50 / p99 (all threads; less stretched by the load than wall time)',
          `${ms(percentile(saveCpu, 50))} / ${ms(percentile(saveCpu, 99))}`,
        ],
        [
          'save: wall minus CPU p50 / p99 (waiting: fsync, the thread pool, other processes on the cores)',
          `${ms(percentile(saveWait, 50))} / ${ms(percentile(saveWait, 99))}`,
        ],
        [
          'save: V8 garbage collection during the 200 timed saves',
          `${ms(gcMs)} in ${gcCount} pauses (${ms(gcMs / saves.length)} per save, longest ${ms(gcLongest)})`,
        ],
        [
          'history write per entry p50 / p95 (in the background, after saves pause)',
          `${ms(percentile(historyWrites, 50))} / ${ms(percentile(historyWrites, 95))}`,
        ],
        [
          'load p50 / p99',
          `${ms(percentile(loads, 50))} / ${ms(percentile(loads, 99))}   (goal p99 < 20 ms)`,
        ],
      ],
    );
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
