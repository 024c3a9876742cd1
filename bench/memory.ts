// Memory of an idle designer after a dbt preview (issue 17): the server as `npm start` runs it (tsc output, plain
// node), built from today's sources into dist/bench-server/ (server/dist is `npm start`'s and is left alone), with
// its own data folder and a project holding fixtures/dbt_shop (9 models) + 1 script node, previewed once. Measured
// 15 s after the preview, while the warm inspector is kept, and again once the designer's idle timeout
// (DESIGNER_PREVIEW_IDLE_SECONDS, the designer's default unless set) has released it; then what the user meets
// next: a preview straight after the release (cold), and one a few seconds after an edit (warmed in the
// background by the edit). Figures are PSS (proportional set size: pages shared with a fork are split between
// them), from /proc/<pid>/smaps_rollup; a Dagster instance the designer may start ahead of a run is Dagster's.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/src/config.js';
import { REPO, signalServer, startServerProcess, type ServerProcess } from './server-process.js';

const DBT_SHOP = path.join(REPO, 'fixtures', 'dbt_shop');
const SHORT_IDLE_MS = 15_000;
/** After an edit, the time a user takes before asking for the preview (the warm-up runs meanwhile). */
const AFTER_EDIT_MS = 20_000;

interface Server extends ServerProcess {
  dataDir: string;
}

/** tsc output of shared and server, as `npm start` runs them, in dist/bench-server (git-ignored). */
function buildServer(): string {
  const out = path.join(REPO, 'dist', 'bench-server');
  rmSync(out, { recursive: true, force: true });
  const tsc = path.join(REPO, 'node_modules', '.bin', 'tsc');
  // The compiled server imports @designer/shared; a private copy beside it is found before the workspace's.
  const shared = path.join(out, 'node_modules', '@designer', 'shared');
  execFileSync(tsc, ['-p', 'shared/tsconfig.build.json', '--outDir', path.join(shared, 'dist')], {
    cwd: REPO,
    stdio: 'inherit',
  });
  mkdirSync(shared, { recursive: true });
  // The server's other packages are the workspace's own (symlinked), as server/node_modules has them.
  const serverModules = path.join(REPO, 'server', 'node_modules');
  for (const entry of readdirSync(serverModules))
    if (entry !== '@designer' && entry !== '.bin')
      symlinkSync(path.join(serverModules, entry), path.join(out, 'node_modules', entry));
  writeFileSync(
    path.join(shared, 'package.json'),
    JSON.stringify({ name: '@designer/shared', type: 'module', exports: { '.': './dist/index.js' } }),
  );
  // At dist/bench-server/, two levels below the repository as server/src is, so config.ts finds the repository.
  execFileSync(tsc, ['-p', 'server/tsconfig.build.json', '--outDir', out], { cwd: REPO, stdio: 'inherit' });
  return path.join(out, 'main.js');
}

async function startServer(command: string, args: string[]): Promise<Server> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-memory-'));
  return { ...(await startServerProcess({ command, args, dataDir, timeoutMs: 120_000 })), dataDir };
}

async function api<T>(server: Server, route: string, method = 'GET', body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}/api${route}`, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${(await res.text()).slice(0, 1000)}`);
  return (await res.json()) as T;
}

const scriptNode = (description: string) => ({
  id: 's',
  type: 'component',
  position: { x: 0, y: 0 },
  data: {
    label: 'extract',
    component_type: 'dagster.PythonScriptComponent',
    attributes: { assets: [{ key: 'raw/extract', description }], execution: { path: 'extract.py' } },
  },
});

/** Saves the project's graph with the script asset's description (what an edit changes). */
async function saveGraph(server: Server, id: string, description: string): Promise<void> {
  const current = await api<{ version: number }>(server, `/projects/${id}`);
  await api(server, `/projects/${id}`, 'PUT', {
    version: current.version,
    graph: {
      nodes: [
        scriptNode(description),
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
}

/** Previews the project; answers its asset count and the time the request took. */
async function preview(server: Server, id: string): Promise<{ assets: number; ms: number; warm: boolean }> {
  const started = performance.now();
  const body = await api<{ assets: unknown[]; problems: unknown[]; warm?: boolean }>(
    server,
    `/projects/${id}/preview`,
    'POST',
  );
  const ms = performance.now() - started;
  if (body.problems.length > 0) throw new Error(`preview problems: ${JSON.stringify(body.problems)}`);
  return { assets: body.assets.length, ms, warm: body.warm === true };
}

/** Creates the dbt project once its workspace is ready; answers its id. */
async function createDbtProject(server: Server): Promise<string> {
  const created = await api<{ id: string }>(server, '/projects', 'POST', { name: 'Memory' });
  for (let i = 0; ; i++) {
    const ws = await api<{ status: string; error?: string }>(server, `/projects/${created.id}/workspace`);
    if (ws.status === 'ready') break;
    if (ws.status === 'error' || i > 600) throw new Error(`workspace: ${JSON.stringify(ws)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  cpSync(DBT_SHOP, path.join(server.dataDir, created.id, 'dbt_shop'), { recursive: true });
  await saveGraph(server, created.id, 'first');
  return created.id;
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
  return withDescendants(all, [root]);
}

/** The processes of `roots` and every process below them in `all`. */
function withDescendants(all: Proc[], roots: number[]): Proc[] {
  const wanted = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all)
      if (!wanted.has(p.pid) && wanted.has(p.ppid)) {
        wanted.add(p.pid);
        grew = true;
      }
  }
  return all.filter((p) => wanted.has(p.pid));
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

/** The server, its warm inspectors (and their forks), and anything else it started (named, with its PSS). */
function pss(server: Server): string {
  const tree = processTree(server.child.pid!);
  const warm = tree.filter((p) => /inspect_defs\.py/.test(p.cmd)).map((p) => p.pid);
  const inspectors = new Set(withDescendants(tree, warm).map((p) => p.pid));
  let own = { server: 0, inspector: 0 };
  const others: string[] = [];
  for (const p of tree) {
    const mib = pssMiB(p.pid);
    if (inspectors.has(p.pid)) own = { ...own, inspector: own.inspector + mib };
    else if (p.pid === server.child.pid) own = { ...own, server: own.server + mib };
    else others.push(`${p.cmd.split(' ').slice(0, 3).join(' ')} ${mib.toFixed(0)} MiB`);
  }
  return (
    `designer's own ${(own.server + own.inspector).toFixed(0)} MiB (server ${own.server.toFixed(0)} MiB + ` +
    `warm inspector ${own.inspector.toFixed(0)} MiB)${others.length ? `; other: ${others.join(', ')}` : ''}`
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function benchMemory(): Promise<void> {
  const idleSeconds = loadConfig().previewIdleSeconds;
  console.log(
    `\n## memory (load average ${os.loadavg()[0]!.toFixed(1)}; PSS; idle timeout ${idleSeconds} s)\n`,
  );
  const main = buildServer();
  const server = await startServer(process.execPath, [main]);
  try {
    const id = await createDbtProject(server);
    const first = await preview(server, id);
    const again = await preview(server, id);
    console.log(
      `| dbt preview (${first.assets} assets): first ${secs(first.ms)}, warm again ${secs(again.ms)} |`,
    );
    await sleep(SHORT_IDLE_MS);
    console.log(`| ${SHORT_IDLE_MS / 1000} s idle after it | ${pss(server)} |`);
    await sleep(idleSeconds * 1000 - SHORT_IDLE_MS + 10_000);
    console.log(`| ${idleSeconds + 10} s idle after it (past the idle timeout) | ${pss(server)} |`);
    const cold = await preview(server, id);
    console.log(`| preview after the release, no edit before it | ${secs(cold.ms)} (warm: ${cold.warm}) |`);
    await sleep(idleSeconds * 1000 + 10_000);
    console.log(`| released again | ${pss(server)} |`);
    await saveGraph(server, id, 'edited');
    await sleep(AFTER_EDIT_MS);
    const afterEdit = await preview(server, id);
    console.log(
      `| preview ${AFTER_EDIT_MS / 1000} s after an edit (warmed in the background) | ${secs(afterEdit.ms)} ` +
        `(warm: ${afterEdit.warm}); load average ${os.loadavg()[0]!.toFixed(1)} |`,
    );
  } finally {
    signalServer(server, 'SIGTERM');
    await sleep(2000);
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}
