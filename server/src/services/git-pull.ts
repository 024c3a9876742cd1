// Pull: takes in what teammates pushed to the project's branch. The branch is fetched into a throw-away
// repository (GitPublisher.fetchBranch: same token rules as a push), each file is merged three ways against the
// designer's last push or pull of that branch (git merge-file where both sides changed), and the graph is rebuilt
// from the merged defs as import does, keeping existing nodes (ids, positions) where their file is the same.
// Nothing in the workspace changes before apply; the throw-away repository is removed whatever happens.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  pathProblem,
  type Graph,
  type GitTarget,
  type Problem,
  type ProjectFile,
  type PullApplied,
  type PullConflict,
  type PullFile,
  type PullPreview,
  type PullResolution,
} from '@designer/shared';
import { AppError, badRequest, conflict } from '../errors.js';
import { realPathInside } from '../lib/safe-path.js';
import { writeFileAtomic, writeFileInside } from './atomic-file.js';
import { normaliseRemote, type GitPublisher } from './git-publisher.js';
import { lastPush, type PushRecord } from './deployments/code-version.js';
import type { Importer } from './importer.js';
import type { ProjectStore } from './project-store.js';
import { nodeDiff, rebuildGraph } from './pull-graph.js';
import type { SyncService } from './sync/service.js';
import { isHiddenPath } from './workspace-files.js';
import { handOverFiles, PROJECT_FILE_NAME } from './zip-writer.js';

const MAX_DIFF = 64 * 1024;
const PULLS = '.pulls';

interface Blob {
  data: Buffer;
  mode: number;
}
type Tree = Map<string, Blob | undefined>;

/** One file whose content the pull would change (result undefined: deleted), or a conflict to resolve. */
interface Merged {
  path: string;
  mine?: Blob;
  theirs?: Blob;
  result?: Blob;
  outcome: PullFile['outcome'];
  conflictText: string | null;
}

interface Plan {
  head: string;
  base: string | null;
  fastForward: boolean;
  merged: Merged[];
  commits: PullPreview['commits'];
}

// ---- local git (in the throw-away repository only: no remote, no token, no shell) ----

const ENV_ALLOWED = /^(PATH|HOME|USER|LOGNAME|LANG|TZ|TMPDIR)$/;
function localEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && ENV_ALLOWED.test(k)) env[k] = v;
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
  };
}

/** git with an argument array; answers stdout and the exit code (merge-file and diff use it as an answer). */
function gitLocal(cwd: string, args: string[]): Promise<{ stdout: Buffer; code: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, env: localEnv(), encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, code: 0 });
        const code = typeof error.code === 'number' ? error.code : -1;
        if (code > 0 && code < 128 && (args[0] === 'merge-file' || args[0] === 'diff'))
          return resolve({ stdout, code });
        reject(
          new AppError(502, 'git_failed', `git ${args[0]} failed: ${String(stderr).trim().slice(-300)}`),
        );
      },
    );
  });
}

const isText = (b: Buffer | undefined) => b === undefined || !b.subarray(0, 8000).includes(0);
const same = (a: Blob | undefined, b: Blob | undefined) =>
  a === undefined || b === undefined ? a === b : a.data.equals(b.data);

/** The git object id a blob would have, to skip reading what is the same on both sides. */
function blobId(data: Buffer, length: number): string {
  return createHash(length === 64 ? 'sha256' : 'sha1')
    .update(`blob ${data.length}\0`)
    .update(data)
    .digest('hex');
}

/** The files a pull takes part in: what a push carries (no hidden or secret-looking names, no designer file). */
const pulled = (p: string) => !isHiddenPath(p) && p !== PROJECT_FILE_NAME && pathProblem(p) === null;

async function treeOf(dir: string, commit: string): Promise<Map<string, { id: string; mode: number }>> {
  const out = new Map<string, { id: string; mode: number }>();
  const { stdout } = await gitLocal(dir, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  for (const entry of stdout.toString('utf8').split('\0')) {
    const m = /^(\d+) blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
    // Links and submodules stay on the branch untouched, as a push leaves them.
    if (!m || (m[1] !== '100644' && m[1] !== '100755') || !pulled(m[3]!)) continue;
    out.set(m[3]!, { id: m[2]!, mode: m[1] === '100755' ? 0o755 : 0o644 });
  }
  return out;
}

async function blob(dir: string, id: string, mode: number): Promise<Blob> {
  return { data: (await gitLocal(dir, ['cat-file', 'blob', id])).stdout, mode };
}

/** git merge-file of three texts: the merged text and whether it holds conflicts. */
async function mergeFile(dir: string, mine: Buffer, base: Buffer, theirs: Buffer) {
  const at = await fs.mkdtemp(path.join(dir, 'merge-'));
  const files = ['mine', 'base', 'theirs'].map((n) => path.join(at, n));
  await Promise.all([mine, base, theirs].map((data, i) => fs.writeFile(files[i]!, data)));
  const { stdout, code } = await gitLocal(dir, [
    'merge-file',
    '-p',
    '-L',
    'mine',
    '-L',
    'base',
    '-L',
    'theirs',
    ...files,
  ]);
  await fs.rm(at, { recursive: true, force: true });
  return { text: stdout, conflicts: code > 0 };
}

/** A unified diff of one file, `a/<path>` → `b/<path>`, made by git diff --no-index. */
async function fileDiff(dir: string, rel: string, from?: Buffer, to?: Buffer): Promise<string> {
  if (!isText(from) || !isText(to)) return `Binary file ${rel} differs\n`;
  const at = await fs.mkdtemp(path.join(dir, 'diff-'));
  const a = path.join(at, 'a');
  const b = path.join(at, 'b');
  await fs.writeFile(a, from ?? '');
  await fs.writeFile(b, to ?? '');
  const { stdout } = await gitLocal(at, ['diff', '--no-index', '--no-color', '--', 'a', 'b']);
  await fs.rm(at, { recursive: true, force: true });
  const lines = stdout.toString('utf8').split('\n');
  const body = lines.slice(lines.findIndex((l) => l.startsWith('@@')));
  const text = [
    `--- ${from ? `a/${rel}` : '/dev/null'}`,
    `+++ ${to ? `b/${rel}` : '/dev/null'}`,
    ...body,
  ].join('\n');
  return text.length > MAX_DIFF ? `${text.slice(0, MAX_DIFF)}\n… (diff cut)\n` : text;
}

// ---- the base: the designer's last push or pull of this remote branch ----

interface BaseRecord {
  commit: string;
  branch: string;
  remote: string;
  at: string;
}

const pullFile = (dataDir: string, projectId: string) => path.join(dataDir, PULLS, `${projectId}.json`);

async function lastPull(dataDir: string, projectId: string): Promise<BaseRecord | undefined> {
  try {
    const raw = JSON.parse(await fs.readFile(pullFile(dataDir, projectId), 'utf8')) as BaseRecord;
    return typeof raw.commit === 'string' ? raw : undefined;
  } catch {
    return undefined;
  }
}

async function baseOf(dataDir: string, projectId: string, target: GitTarget): Promise<string | null> {
  const remote = normaliseRemote(target.remote);
  const candidates = [await lastPush(dataDir, projectId), await lastPull(dataDir, projectId)].filter(
    (r): r is PushRecord => r !== undefined && r.branch === target.branch && r.remote === remote,
  );
  candidates.sort((a, b) => b.at.localeCompare(a.at));
  return candidates[0]?.commit ?? null;
}

export class PullService {
  constructor(
    private readonly git: GitPublisher,
    private readonly projects: ProjectStore,
    private readonly sync: SyncService,
    private readonly importer: Importer,
    private readonly dataDir: string,
  ) {}

  /** Runs `work` on a fresh throw-away folder, always removed. */
  private async withScratch<T>(work: (dir: string) => Promise<T>): Promise<T> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'designer-pull-'));
    try {
      return await work(dir);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  private async plan(project: ProjectFile, root: string, target: GitTarget, scratch: string): Promise<Plan> {
    const repo = path.join(scratch, 'repo');
    await fs.mkdir(repo);
    const fetched = await this.git.fetchBranch(project.id, target, repo);
    if (!fetched.head)
      throw new AppError(
        404,
        'branch_not_found',
        `The remote has no branch "${target.branch}".`,
        'Push the project first, or check the branch name.',
      );
    const head = fetched.head;
    let base = await baseOf(this.dataDir, project.id, target);
    if (base && (await gitLocal(repo, ['cat-file', '-t', base]).catch(() => null)) === null) base = null;
    const theirsTree = await treeOf(repo, head);
    const baseTree = base ? await treeOf(repo, base) : new Map<string, { id: string; mode: number }>();
    const mine: Tree = new Map(
      (await handOverFiles(project, root))
        .filter((f) => pulled(f.name))
        .map((f) => [f.name, { data: Buffer.from(f.data), mode: f.mode }]),
    );
    const paths = [...new Set([...mine.keys(), ...theirsTree.keys(), ...baseTree.keys()])].sort();
    const merged: Merged[] = [];
    let fastForward = true;
    for (const p of paths) {
      const m = mine.get(p);
      const t = theirsTree.get(p);
      const b = baseTree.get(p);
      const mineIs = (e: { id: string } | undefined) =>
        e === undefined ? m === undefined : m !== undefined && blobId(m.data, e.id.length) === e.id;
      if (!mineIs(b)) fastForward = false;
      if (mineIs(t)) continue; // the same on both sides
      if (t?.id === b?.id) continue; // only the designer changed it
      const theirs = t ? await blob(repo, t.id, t.mode) : undefined;
      if (mineIs(b)) {
        merged.push({ path: p, mine: m, theirs, result: theirs, outcome: 'theirs', conflictText: null });
        continue;
      }
      const baseBlob = b ? await blob(repo, b.id, b.mode) : undefined;
      if (m && theirs && isText(m.data) && isText(theirs.data) && isText(baseBlob?.data)) {
        const out = await mergeFile(scratch, m.data, baseBlob?.data ?? Buffer.alloc(0), theirs.data);
        const result = { data: out.text, mode: theirs.mode };
        merged.push(
          out.conflicts
            ? { path: p, mine: m, theirs, outcome: 'conflict', conflictText: out.text.toString('utf8') }
            : { path: p, mine: m, theirs, result, outcome: 'merged', conflictText: null },
        );
      } else merged.push({ path: p, mine: m, theirs, outcome: 'conflict', conflictText: null });
    }
    const range = base ? [`${base}..${head}`] : ['-n', '20', head];
    const log = await gitLocal(repo, ['log', '--no-color', '--format=%H%x1f%an%x1f%s', ...range]);
    const commits = log.stdout
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .slice(0, 50)
      .map((line) => {
        const [id, author, subject] = line.split('\x1f');
        return { id: id!, author: author ?? '', subject: subject ?? '' };
      });
    return { head, base, fastForward, merged, commits };
  }

  /** What the pull would bring, without changing anything on disk. */
  async preview(project: ProjectFile, root: string, target: GitTarget): Promise<PullPreview> {
    return this.withScratch(async (scratch) => {
      const plan = await this.plan(project, root, target, scratch);
      const files: PullFile[] = [];
      const conflicts: PullConflict[] = [];
      for (const f of plan.merged) {
        const to = f.outcome === 'conflict' ? f.theirs : f.result;
        files.push({
          path: f.path,
          status: !to ? 'deleted' : !f.mine ? 'added' : 'modified',
          outcome: f.outcome,
          diff: await fileDiff(scratch, f.path, f.mine?.data, to?.data),
        });
        if (f.outcome === 'conflict') {
          const text = (b?: Blob) => (b && isText(b.data) ? b.data.toString('utf8') : null);
          conflicts.push({
            path: f.path,
            mine: text(f.mine),
            theirs: text(f.theirs),
            merged: f.conflictText,
            binary: !isText(f.mine?.data) || !isText(f.theirs?.data),
          });
        }
      }
      // The graph the merged defs give (conflicts taken as teammates' version), built from a copy of the defs.
      const tree = path.join(scratch, 'tree');
      const defsPrefix = `src/${project.package_name}/defs/`;
      const changed = new Set(plan.merged.map((f) => f.path));
      const results = new Map(
        plan.merged.map((f) => [f.path, f.outcome === 'conflict' ? f.theirs : f.result]),
      );
      const defsFiles = new Set(
        [...(await handOverFiles(project, root)).map((f) => f.name), ...results.keys()].filter((p) =>
          p.startsWith(defsPrefix),
        ),
      );
      for (const p of defsFiles) {
        const data = results.has(p) ? results.get(p)?.data : await fs.readFile(path.join(root, p));
        if (data === undefined) continue;
        await fs.mkdir(path.dirname(path.join(tree, p)), { recursive: true });
        await fs.writeFile(path.join(tree, p), data);
      }
      const { graph } = await rebuildGraph(project.graph, tree, project.package_name, changed);
      return {
        branch: target.branch,
        head: plan.head,
        base: plan.base,
        version: project.version,
        upToDate: plan.merged.length === 0,
        fastForward: plan.fastForward,
        commits: plan.commits,
        files,
        conflicts,
        graph: nodeDiff(project.graph, graph),
      };
    });
  }

  /** Merges the branch into the project: files written, graph rebuilt and saved (a new version in History). */
  async apply(
    project: ProjectFile,
    root: string,
    body: GitTarget & { head: string; version: number; resolutions?: PullResolution[] },
  ): Promise<PullApplied> {
    if (body.version !== project.version)
      throw conflict(
        'stale_version',
        `The project was saved since the preview (version ${project.version}; the preview was of version ${body.version}).`,
        'Preview the pull again.',
      );
    return this.withScratch(async (scratch) => {
      const plan = await this.plan(project, root, body, scratch);
      if (plan.head !== body.head)
        throw conflict(
          'pull_branch_moved',
          `The branch "${body.branch}" moved on since the preview (now at ${plan.head.slice(0, 12)}).`,
          'Preview the pull again to see the new changes.',
        );
      const writes = this.resolve(plan.merged, body.resolutions ?? []);
      const changed = new Set(writes.map((w) => w.path));
      // Written, then the graph rebuilt; a failure before the save puts the designer's files back as they were.
      let savedGraph = false;
      try {
        for (const w of writes) {
          const file = await realPathInside(root, path.join(root, w.path));
          if (w.result) await writeFileInside(root, file, w.result.data, w.result.mode);
          else await fs.rm(file, { force: true });
        }
        const problems: Problem[] = [];
        const rebuilt = await rebuildGraph(project.graph, root, project.package_name, changed, problems);
        const graph = await this.edgesOf(project, root, rebuilt.graph, rebuilt.touched);
        const saved = await this.projects.save(project.id, { version: project.version, graph });
        savedGraph = true;
        await this.sync.adopt(saved, root);
        this.sync.onChanged(project.id);
        await fs.mkdir(path.join(this.dataDir, PULLS), { recursive: true });
        const record: BaseRecord = {
          commit: plan.head,
          branch: body.branch,
          remote: normaliseRemote(body.remote),
          at: new Date().toISOString(),
        };
        await writeFileAtomic(pullFile(this.dataDir, project.id), `${JSON.stringify(record)}\n`);
        return {
          version: saved.version,
          head: plan.head,
          files: writes.map((w) => ({
            path: w.path,
            status: !w.result ? ('deleted' as const) : !w.mine ? ('added' as const) : ('modified' as const),
          })),
          graph: nodeDiff(project.graph, graph),
        };
      } catch (error) {
        if (savedGraph) throw error;
        for (const w of writes) {
          const file = path.join(root, w.path);
          if (w.mine) await writeFileInside(root, file, w.mine.data, w.mine.mode).catch(() => undefined);
          else await fs.rm(file, { force: true }).catch(() => undefined);
        }
        throw error;
      }
    });
  }

  /** Each merged file with its result: conflicts need a resolution, and only conflicts take one. */
  private resolve(merged: Merged[], resolutions: PullResolution[]): Merged[] {
    const byPath = new Map(resolutions.map((r) => [r.path, r]));
    for (const r of resolutions)
      if (!merged.some((f) => f.path === r.path && f.outcome === 'conflict'))
        throw badRequest(
          'pull_resolution_unknown',
          `"${r.path.slice(0, 200)}" is not a conflict of this pull.`,
          'Send resolutions only for the files the preview lists as conflicts.',
        );
    const open = merged.filter((f) => f.outcome === 'conflict' && !byPath.has(f.path)).map((f) => f.path);
    if (open.length > 0)
      throw conflict(
        'pull_conflicts_unresolved',
        `Both you and your teammates changed ${open.length === 1 ? open[0] : `${open.length} files`} on the same lines.`,
        'Choose mine, theirs or an edited text for each conflict, then apply again.',
        { paths: open },
      );
    return merged
      .map((f): Merged => {
        const r = byPath.get(f.path);
        if (!r) return f;
        if (r.choice === 'mine') return { ...f, result: f.mine };
        if (r.choice === 'theirs') return { ...f, result: f.theirs };
        if (r.text === undefined)
          throw badRequest('pull_resolution_text', `The edited text of ${f.path} is missing.`);
        if (/^(<<<<<<< |>>>>>>> )/m.test(r.text))
          throw badRequest(
            'pull_resolution_markers',
            `The edited text of ${f.path} still holds conflict markers.`,
            'Remove the <<<<<<< / ======= / >>>>>>> lines, keeping the text you want.',
          );
        return {
          ...f,
          result: { data: Buffer.from(r.text, 'utf8'), mode: (f.mine ?? f.theirs)?.mode ?? 0o644 },
        };
      })
      .filter((f) => !same(f.result, f.mine));
  }

  /** Edges into new and changed nodes from the real asset dependencies, as import finds them. */
  private async edgesOf(
    project: ProjectFile,
    root: string,
    graph: Graph,
    touched: Set<string>,
  ): Promise<Graph> {
    if (touched.size === 0) return graph;
    const problems: Problem[] = [];
    const found = await this.importer
      .edgesFromAssets({ ...project, graph }, root, problems)
      .catch(() => null);
    if (!found || (found.edges.length === 0 && problems.length > 0)) {
      // Dagster could not load the merged code: the edges the designer had stay, the rest waits for a fix.
      const ids = new Set(graph.nodes.map((n) => n.id));
      const kept = project.graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
      const known = new Set(graph.edges.map((e) => e.id));
      return { ...graph, edges: [...graph.edges, ...kept.filter((e) => !known.has(e.id))] };
    }
    const pair = (e: { source: string; target: string }) => `${e.source}\u0000${e.target}`;
    const have = new Set(graph.edges.map(pair));
    const added = found.edges.filter((e) => touched.has(e.target) && !have.has(pair(e)));
    const nodes = graph.nodes.map((n) =>
      touched.has(n.id) && n.type === 'schedule' ? (found.nodes.find((f) => f.id === n.id) ?? n) : n,
    );
    return { ...graph, nodes, edges: [...graph.edges, ...added] };
  }
}
