// `npm run bench crash`: the real server as a child process, killed with SIGKILL at random moments while 1,000
// project saves and 200 file writes are in flight at once; after each restart nothing is torn, nothing acknowledged
// is lost, no temp file is left or listed, and every project opens and saves.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, signalServer, startServerProcess, type ServerProcess } from './server-process.js';

const TEMP_FILE = /^\..+\.[0-9a-f]{12}(\.designer)?\.tmp$/;

export interface CrashOptions {
  rounds: number;
  projects: number;
  files: number;
  /** The kill comes at a random moment in [minKillMs, maxKillMs) after the round's first acknowledgments. */
  minKillMs: number;
  maxKillMs: number;
  log?: (line: string) => void;
}

export interface CrashReport {
  rounds: number;
  savesSent: number;
  savesAcknowledged: number;
  writesSent: number;
  writesAcknowledged: number;
  /** Project or user files that do not parse, or whose content is not what a save or write sent. */
  tornFiles: number;
  /** Versions below the last acknowledged one, or more than one above it. */
  lostUpdates: number;
  /** Saves and writes found applied though their answer never came (the request was in flight at the kill). */
  inFlightApplied: number;
  /** Temp files found right after the kills (what start-up then swept). */
  tempFilesAtKill: number;
  leftoverTempFiles: number;
  tempFilesListed: number;
  /** Projects that could not be read or saved after a restart. */
  unusableProjects: number;
}

type Server = ServerProcess;

/** The server under tsx, as tests and benches run it, in its own process group (SIGKILL reaches the whole tree). */
const startServer = (dataDir: string): Promise<Server> =>
  startServerProcess({
    command: path.join(REPO, 'node_modules', '.bin', 'tsx'),
    args: ['server/src/main.ts'],
    dataDir,
    env: { DESIGNER_CREATE_WORKSPACES: '0' },
  });

const killServer = (server: Server) => signalServer(server, 'SIGKILL');

async function waitExit(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  await new Promise((resolve) => server.child.once('exit', resolve));
}

const api = (
  server: Server,
  route: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) =>
  fetch(`${server.url}/api${route}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });

/** A graph big enough that a save takes a moment (so kills land inside writes), marked with the version it came from. */
function graphFor(from: number) {
  return {
    nodes: Array.from({ length: 20 }, (_, i) => ({
      id: `n${i}`,
      type: 'component' as const,
      position: { x: i * 200, y: from },
      data: {
        label: `asset_${i}`,
        component_type: 'dagster.PythonScriptComponent',
        attributes: {
          assets: [{ key: `raw/asset_${i}`, description: `saved from version ${from}` }],
          execution: { path: `asset_${i}.py` },
        },
      },
    })),
    edges: Array.from({ length: 19 }, (_, i) => ({ id: `e${i}`, source: `n${i}`, target: `n${i + 1}` })),
  };
}

const fileContent = (file: number, generation: number) =>
  `# file ${file}, generation ${generation}\n${'x = 1\n'.repeat(2000)}# end ${file} ${generation}\n`;

/** Every temp file of ours under `root` (environments skipped). */
function tempFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== '.venv') walk(full);
      else if (TEMP_FILE.test(entry.name)) out.push(full);
    }
  };
  walk(root);
  return out;
}

export async function runCrash(options: CrashOptions): Promise<CrashReport> {
  const log = options.log ?? (() => undefined);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'designer-crash-'));
  const report: CrashReport = {
    rounds: 0,
    savesSent: 0,
    savesAcknowledged: 0,
    writesSent: 0,
    writesAcknowledged: 0,
    tornFiles: 0,
    lostUpdates: 0,
    inFlightApplied: 0,
    tempFilesAtKill: 0,
    leftoverTempFiles: 0,
    tempFilesListed: 0,
    unusableProjects: 0,
  };
  let server = await startServer(dataDir);
  try {
    // Projects to save, and one with a workspace folder made by hand (what the files API needs: pyproject.toml,
    // .venv/bin/dg, src/<pkg>/defs) for the file writes.
    const ids: string[] = [];
    for (let i = 0; i < options.projects; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, options.projects - i) }, (_, j) =>
          api(server, '/projects', { method: 'POST', body: { name: `Crash ${i + j}` } }).then(
            async (r) => ((await r.json()) as { id: string }).id,
          ),
        ),
      );
      ids.push(...batch);
    }
    const files = (await (
      await api(server, '/projects', { method: 'POST', body: { name: 'Files' } })
    ).json()) as {
      id: string;
      package_name: string;
    };
    const root = path.join(dataDir, files.id);
    mkdirSync(path.join(root, '.venv', 'bin'), { recursive: true });
    writeFileSync(path.join(root, '.venv', 'bin', 'dg'), '');
    writeFileSync(path.join(root, 'pyproject.toml'), `[project]\nname = "${files.package_name}"\n`);
    mkdirSync(path.join(root, 'src', files.package_name, 'defs'), { recursive: true });
    const fileRel = (i: number) => `src/${files.package_name}/module_${i}.py`;

    // What the client knows: last acknowledged version / generation, and what is in flight.
    const acked = new Map(ids.map((id) => [id, 1]));
    const savePending = new Set<string>();
    const fileAcked = new Map<number, { generation: number; hash: string | null }>(
      Array.from({ length: options.files }, (_, i) => [i, { generation: 0, hash: null }]),
    );
    const filePending = new Map<number, number>();

    for (let round = 1; round <= options.rounds; round += 1) {
      let stop = false;
      const saveWave = async () => {
        await Promise.all(
          ids.map(async (id) => {
            const version = acked.get(id)!;
            savePending.add(id);
            report.savesSent += 1;
            try {
              const r = await api(server, `/projects/${id}`, {
                method: 'PUT',
                body: { version, graph: graphFor(version), description: `from ${version}` },
              });
              if (r.status === 200) {
                acked.set(id, ((await r.json()) as { version: number }).version);
                report.savesAcknowledged += 1;
                savePending.delete(id);
              }
            } catch {
              // the server died with the request in flight: it stays pending
            }
          }),
        );
      };
      const writeWave = async () => {
        await Promise.all(
          [...fileAcked.entries()].map(async ([i, known]) => {
            const generation = known.generation + 1;
            filePending.set(i, generation);
            report.writesSent += 1;
            try {
              const r = await api(server, `/projects/${files.id}/files/${fileRel(i)}`, {
                method: 'PUT',
                body: { content: fileContent(i, generation) },
                headers: known.hash ? { 'if-match': `"${known.hash}"` } : {},
              });
              if (r.status === 200) {
                fileAcked.set(i, { generation, hash: ((await r.json()) as { hash: string }).hash });
                report.writesAcknowledged += 1;
                filePending.delete(i);
              }
            } catch {
              // in flight at the kill
            }
          }),
        );
      };
      const acknowledged = { saves: report.savesAcknowledged, writes: report.writesAcknowledged };
      const load = (async () => {
        while (!stop) await Promise.all([saveWave(), writeWave()]);
      })();
      // The kill is armed once this round has acknowledged a save and a write (up to 60 s on a slow machine), so
      // every round kills a server that is busy and whose earlier answers the checks can hold it to.
      const armBy = Date.now() + 60_000;
      while (
        Date.now() < armBy &&
        (report.savesAcknowledged === acknowledged.saves || report.writesAcknowledged === acknowledged.writes)
      )
        await new Promise((r) => setTimeout(r, 20));
      const killAt = options.minKillMs + Math.random() * (options.maxKillMs - options.minKillMs);
      await new Promise((r) => setTimeout(r, killAt));
      killServer(server);
      stop = true;
      await waitExit(server);
      await load;
      report.tempFilesAtKill += tempFiles(dataDir).length;

      server = await startServer(dataDir);
      report.rounds = round;
      const before = { ...report };
      await checkAfterRestart(
        server,
        dataDir,
        ids,
        acked,
        savePending,
        files.id,
        fileRel,
        fileAcked,
        filePending,
        report,
      );
      log(
        `round ${round}: killed ${Math.round(killAt)} ms after the first answers; saves acknowledged so far ${report.savesAcknowledged}/${report.savesSent}, ` +
          `writes ${report.writesAcknowledged}/${report.writesSent}; torn ${report.tornFiles - before.tornFiles}, ` +
          `lost ${report.lostUpdates - before.lostUpdates}, in flight and applied ${report.inFlightApplied - before.inFlightApplied}`,
      );
    }
    return report;
  } finally {
    killServer(server);
    await waitExit(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * After a restart. A project's version must be the last acknowledged one, or one more when a save was in flight
 * at the kill (the file was renamed into place, durably, before the answer could leave: that save happened, its
 * client just never heard). Anything else is a lost or invented update. The same for file generations.
 */
async function checkAfterRestart(
  server: Server,
  dataDir: string,
  ids: string[],
  acked: Map<string, number>,
  savePending: Set<string>,
  filesId: string,
  fileRel: (i: number) => string,
  fileAcked: Map<number, { generation: number; hash: string | null }>,
  filePending: Map<number, number>,
  report: CrashReport,
): Promise<void> {
  report.leftoverTempFiles += tempFiles(dataDir).length;
  for (const id of ids) {
    let doc: { version: number; description?: string };
    try {
      doc = JSON.parse(readFileSync(path.join(dataDir, `${id}.json`), 'utf8')) as typeof doc;
    } catch {
      report.tornFiles += 1;
      continue;
    }
    if (doc.version > 1 && doc.description !== `from ${doc.version - 1}`) report.tornFiles += 1;
    const known = acked.get(id)!;
    if (doc.version === known + 1 && savePending.has(id)) report.inFlightApplied += 1;
    else if (doc.version !== known) report.lostUpdates += 1;
    acked.set(id, doc.version);
    savePending.delete(id);
  }
  // The project opens and saves (every one: this is also the first wave of the next round's load).
  const list = (await (await api(server, '/projects')).json()) as Array<{ id: string; error?: unknown }>;
  report.unusableProjects += list.filter((p) => p.error !== undefined).length;
  await Promise.all(
    ids.map(async (id) => {
      const read = await api(server, `/projects/${id}`);
      const version = read.ok ? ((await read.json()) as { version: number }).version : -1;
      const saved = await api(server, `/projects/${id}`, {
        method: 'PUT',
        body: { version, graph: graphFor(version), description: `from ${version}` },
      });
      if (!saved.ok) report.unusableProjects += 1;
      else acked.set(id, ((await saved.json()) as { version: number }).version);
    }),
  );
  // Files: whole, one of the two generations the client may expect, none listed as a temp file.
  const listed = (await (await api(server, `/projects/${filesId}/files`)).json()) as Array<{ path: string }>;
  report.tempFilesListed += listed.filter((f) => TEMP_FILE.test(path.posix.basename(f.path))).length;
  await Promise.all(
    [...fileAcked.entries()].map(async ([i, known]) => {
      const r = await api(server, `/projects/${filesId}/files/${fileRel(i)}`);
      if (r.status === 404 && known.generation === 0) {
        filePending.delete(i);
        return;
      }
      const body = (await r.json()) as { content: string; hash: string };
      const m = /^# file (\d+), generation (\d+)\n/.exec(body.content ?? '');
      const generation = m ? Number(m[2]) : -1;
      if (!m || body.content !== fileContent(i, generation)) {
        report.tornFiles += 1;
        return;
      }
      if (generation === known.generation + 1 && filePending.get(i) === generation)
        report.inFlightApplied += 1;
      else if (generation !== known.generation) report.lostUpdates += 1;
      fileAcked.set(i, { generation, hash: body.hash });
      filePending.delete(i);
    }),
  );
}

export async function benchCrash(): Promise<void> {
  const report = await runCrash({
    rounds: 5,
    projects: 1000,
    files: 200,
    minKillMs: 300,
    maxKillMs: 5000,
    log: (line) => console.log(`  ${line}`),
  });
  console.log('\n## crash (SIGKILL during 1,000 concurrent saves and 200 concurrent file writes)');
  console.log(`  kill rounds: ${report.rounds}`);
  console.log(`  saves sent / acknowledged: ${report.savesSent} / ${report.savesAcknowledged}`);
  console.log(`  file writes sent / acknowledged: ${report.writesSent} / ${report.writesAcknowledged}`);
  console.log(`  in flight at a kill and applied (version = acknowledged + 1): ${report.inFlightApplied}`);
  console.log(`  temp files found right after the kills (swept at start-up): ${report.tempFilesAtKill}`);
  console.log(`  torn files: ${report.tornFiles}`);
  console.log(`  lost or invented updates: ${report.lostUpdates}`);
  console.log(`  leftover temp files: ${report.leftoverTempFiles}`);
  console.log(`  temp files listed by the files API: ${report.tempFilesListed}`);
  console.log(`  projects that did not open or save: ${report.unusableProjects}`);
}
