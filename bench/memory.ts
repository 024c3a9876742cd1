// Memory of an idle designer after a dbt preview (issue 17): the server as `npm start` runs it (compiled, plain
// node) next to the same server under the tsx loader, each with its warm Python inspector. Each server gets its
// own data folder and a project holding fixtures/dbt_shop (9 models) + 1 script node, previewed once, then left
// idle for 15 s. Figures are PSS (proportional set size: pages shared with a fork are split between them), from
// /proc/<pid>/smaps_rollup; the Dagster instance the designer may start ahead of a run is Dagster's, listed apart.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, signalServer, startServerProcess, type ServerProcess } from './server-process.js';

const DBT_SHOP = path.join(REPO, 'fixtures', 'dbt_shop');
const IDLE_MS = 15_000;

interface Server extends ServerProcess {
  dataDir: string;
}

async function startServer(command: string, args: string[]): Promise<Server> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-memory-'));
  return { ...(await startServerProcess({ command, args, dataDir, timeoutMs: 120_000 })), dataDir };
}

const stopServer = (server: Server) => signalServer(server, 'SIGTERM');

async function api<T>(server: Server, route: string, method = 'GET', body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}/api${route}`, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${(await res.text()).slice(0, 1000)}`);
  return (await res.json()) as T;
}

/** Creates the dbt project and previews it once; answers the preview's asset count. */
async function previewDbtProject(server: Server): Promise<number> {
  const created = await api<{ id: string; version: number }>(server, '/projects', 'POST', { name: 'Memory' });
  for (let i = 0; ; i++) {
    const ws = await api<{ status: string; error?: string }>(server, `/projects/${created.id}/workspace`);
    if (ws.status === 'ready') break;
    if (ws.status === 'error' || i > 600) throw new Error(`workspace: ${JSON.stringify(ws)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  cpSync(DBT_SHOP, path.join(server.dataDir, created.id, 'dbt_shop'), { recursive: true });
  const current = await api<{ version: number }>(server, `/projects/${created.id}`);
  await api(server, `/projects/${created.id}`, 'PUT', {
    version: current.version,
    graph: {
      nodes: [
        {
          id: 's',
          type: 'component',
          position: { x: 0, y: 0 },
          data: {
            label: 'extract',
            component_type: 'dagster.PythonScriptComponent',
            attributes: { assets: [{ key: 'raw/extract' }], execution: { path: 'extract.py' } },
          },
        },
        {
          id: 'd',
          type: 'component',
          position: { x: 400, y: 0 },
          data: {
            label: 'shop_dbt',
            component_type: 'dagster_dbt.DbtProjectComponent',
            attributes: { project: '{{ context.project_root }}/dbt_shop' },
          },
        },
      ],
      edges: [{ id: 'e', source: 's', target: 'd' }],
    },
  });
  const preview = await api<{ assets: unknown[]; problems: unknown[] }>(
    server,
    `/projects/${created.id}/preview`,
    'POST',
  );
  if (preview.problems.length > 0) throw new Error(`preview problems: ${JSON.stringify(preview.problems)}`);
  return preview.assets.length;
}

interface Proc {
  pid: number;
  ppid: number;
  cmd: string;
}

function processTree(root: number): Proc[] {
  const all: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      all.push({ pid: Number(entry), ppid, cmd });
    } catch {
      // gone meanwhile
    }
  }
  const tree: Proc[] = [];
  const wanted = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all)
      if (!wanted.has(p.pid) && wanted.has(p.ppid)) {
        wanted.add(p.pid);
        grew = true;
      }
  }
  for (const p of all) if (wanted.has(p.pid)) tree.push(p);
  return tree;
}

/** Proportional set size in MiB (0 when the process is gone or unreadable). */
function pssMiB(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function classify(cmd: string): 'server' | 'inspector' | 'dagster' {
  if (/inspect_defs\.py|designer_inspector/.test(cmd)) return 'inspector';
  if (/\bnode\b|tsx/.test(cmd) && !/dagster|dg /.test(cmd)) return 'server';
  return 'dagster';
}

async function measure(label: string, command: string, args: string[]): Promise<void> {
  const server = await startServer(command, args);
  try {
    const assets = await previewDbtProject(server);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const totals = { server: 0, inspector: 0, dagster: 0 };
    for (const p of processTree(server.child.pid!)) totals[classify(p.cmd)] += pssMiB(p.pid);
    const own = totals.server + totals.inspector;
    console.log(
      `| ${label}: idle after a dbt preview (${assets} assets) | designer's own ${own.toFixed(0)} MiB ` +
        `(server ${totals.server.toFixed(0)} MiB + warm inspector ${totals.inspector.toFixed(0)} MiB); ` +
        `Dagster instance started ahead ${totals.dagster.toFixed(0)} MiB |`,
    );
  } finally {
    stopServer(server);
    await new Promise((r) => setTimeout(r, 2000));
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

export async function benchMemory(): Promise<void> {
  console.log(
    `\n## memory (load average ${os.loadavg()[0]!.toFixed(1)}, PSS after ${IDLE_MS / 1000} s idle)\n`,
  );
  const built = path.join(REPO, 'server', 'dist', 'main.js');
  if (!existsSync(built))
    throw new Error('server/dist is missing: run `npm run bench` (it compiles the server)');
  await measure('`npm start` (compiled, node)', process.execPath, ['--conditions=designer-built', built]);
  await measure('under tsx (before)', path.join(REPO, 'node_modules', '.bin', 'tsx'), ['server/src/main.ts']);
}
