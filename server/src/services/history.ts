// Project history: every save kept as a commit of a local bare Git repository (`<dataDir>/.history/<id>.git`),
// written in the background (a save only notes the new state in memory), bursts of autosaves squashed into one
// entry, old entries thinned out. Never inside the user's workspace, never pushed or exported.
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  diffGraphs,
  isEmptyDiff,
  nodeLocation,
  pathProblem,
  summarizeDiff,
  type Graph,
  type HistoryDiff,
  type HistoryEntry,
  type HistoryPage,
  type ProjectFile,
} from '@designer/shared';
import { AppError, badRequest, notFound } from '../errors.js';
import { realPathInside } from '../lib/safe-path.js';
import { KeyedQueue, writeFileInside } from './atomic-file.js';
import { HistoryRepo, type CommitInfo } from './history-git.js';
import { DEFAULT_PRUNE_POLICY, entriesToKeep, type PrunePolicy } from './history-prune.js';
import { assertProjectId, parseProjectFile } from './project-store.js';
import { defsDirOf } from './sync/state.js';
import { isHiddenPath, listFiles } from './workspace-files.js';

/** What a history entry holds besides `project.json`: the project's text files as the Files tab lists them. */
export const HISTORY_FILE = /\.(py|sql|ya?ml|toml|md|txt|cfg|ini|json|csv|jinja|j2|sh)$/i;
export const HISTORY_MAX_FILE = 256 * 1024;
const FILES = 'files';

export interface HistoryOptions {
  /** A save is written this long after the last one of a burst… */
  delayMs: number;
  /** …or this long after the first, whichever comes first. */
  maxDelayMs: number;
  /** A save this close to the newest entry's last save amends that entry… */
  squashMs: number;
  /** …as long as the entry's first save is no older than this. */
  burstMs: number;
  prune: PrunePolicy;
}
export const DEFAULT_HISTORY_OPTIONS: HistoryOptions = {
  // Written once saves pause for 2 s (sync writes the defs.yaml 1 s after a save, so the entry holds them),
  // or every minute of uninterrupted saving: never while a burst of saves is still coming in.
  delayMs: 2_000,
  maxDelayMs: 60_000,
  squashMs: 10_000,
  burstMs: 120_000,
  prune: DEFAULT_PRUNE_POLICY,
};

type Kind = HistoryEntry['kind'];
interface Pending {
  project: ProjectFile;
  kind: Kind;
  firstAt: number;
  lastAt: number;
  saves: number;
  fromVersion: number;
  note?: string;
  timer?: NodeJS.Timeout;
  maxTimer?: NodeJS.Timeout;
}

export class ProjectHistory {
  private pending = new Map<string, Pending>();
  private queue = new KeyedQueue();
  private lastPrune = new Map<string, number>();
  private tips = new Map<string, Tip>();
  private timersStopped = false;
  private removed = new Set<string>();
  /** Failures of background writes, for the log (a failed history write never touches the save). */
  onError: (error: unknown, projectId: string) => void = () => undefined;

  constructor(
    readonly dataDir: string,
    private readonly workspaceOf: (id: string) => string,
    options: Partial<HistoryOptions> = {},
  ) {
    this.options = { ...DEFAULT_HISTORY_OPTIONS, ...options };
  }

  /** Mutable per instance (tests shorten the delays). */
  readonly options: HistoryOptions;

  repoOf(id: string): HistoryRepo {
    assertProjectId(id);
    return new HistoryRepo(path.join(this.dataDir, '.history', `${id}.git`));
  }

  /** The hot path of every save: notes the new state and arms a timer, nothing else. */
  recorded(project: ProjectFile, kind: Kind = 'save'): void {
    this.removed.delete(project.id);
    const now = Date.now();
    const p = this.pending.get(project.id);
    if (p && p.kind === kind) {
      p.project = project;
      p.lastAt = now;
      p.saves += 1;
      clearTimeout(p.timer);
      p.timer = this.timer(project.id, this.options.delayMs);
      return;
    }
    if (p && p.saves === 1 && p.project.version === project.version) {
      p.kind = kind; // the same write, told what it was (a restore's save)
      return;
    }
    if (p) void this.flush(project.id); // another kind (a restore after saves): its own entry
    const next: Pending = {
      project,
      kind,
      firstAt: now,
      lastAt: now,
      saves: 1,
      fromVersion: project.version,
    };
    next.timer = this.timer(project.id, this.options.delayMs);
    next.maxTimer = this.timer(project.id, this.options.maxDelayMs);
    this.pending.set(project.id, next);
  }

  /** A file written through the files API: an entry of its own (the graph did not change). */
  fileEdited(project: ProjectFile, relative: string): void {
    const p = this.pending.get(project.id);
    if (p) {
      p.note = p.note ?? `edited ${relative}`;
      p.lastAt = Date.now();
      return;
    }
    this.recorded(project, 'files');
    this.pending.get(project.id)!.note = `edited ${relative}`;
  }

  /**
   * No more background writes: what is pending waits for a flush (a listing, a restore, the server stopping). For
   * tests that compare the data folder before and after a request, as `SyncService.stopTimers` is.
   */
  stopTimers(): void {
    this.timersStopped = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      clearTimeout(p.maxTimer);
    }
  }

  private timer(id: string, ms: number): NodeJS.Timeout | undefined {
    if (this.timersStopped) return undefined;
    const t = setTimeout(() => {
      void this.flush(id).catch((error: unknown) => this.onError(error, id));
    }, ms);
    t.unref();
    return t;
  }

  /** Writes what is pending for a project now (waits for a write under way). */
  flush(id: string): Promise<void> {
    const p = this.pending.get(id);
    if (p) {
      this.pending.delete(id);
      clearTimeout(p.timer);
      clearTimeout(p.maxTimer);
    }
    return this.queue.run(id, async () => {
      if (p && !this.removed.has(id)) await this.write(p);
    });
  }

  async flushAll(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((id) => this.flush(id)));
  }

  /** The summary line of the pending entry (a restore says what it restored). */
  note(id: string, text: string): void {
    const p = this.pending.get(id);
    if (p) p.note = text;
  }

  hasPending(id: string): boolean {
    return this.pending.has(id);
  }

  /** Deleting a project: nothing pending is written, the repository goes. */
  async remove(id: string): Promise<void> {
    const repo = this.repoOf(id);
    this.removed.add(id);
    const p = this.pending.get(id);
    if (p) {
      clearTimeout(p.timer);
      clearTimeout(p.maxTimer);
      this.pending.delete(id);
    }
    await this.queue.run(id, async () => {
      this.tips.delete(id);
      await fs.rm(repo.gitDir, { recursive: true, force: true });
    });
  }

  private async write(p: Pending): Promise<void> {
    const id = p.project.id;
    const repo = this.repoOf(id);
    await repo.init();
    const tip = await this.tipOf(repo, id);
    const amend =
      tip !== null &&
      p.kind === 'save' &&
      tip.meta.kind === 'save' &&
      p.firstAt - Date.parse(tip.info.commitDate) <= this.options.squashMs &&
      p.lastAt - Date.parse(tip.info.authorDate) <= this.options.burstMs;

    const entries = [
      { path: 'project.json', blob: await repo.writeBlob(`${JSON.stringify(p.project, null, 1)}\n`) },
    ];
    const snapshot = await this.snapshotFiles(id);
    const blobs = await repo.writeFileBlobs(snapshot.map((f) => f.absolute));
    const files = new Map(snapshot.map((f, i) => [f.relative, blobs[i]!]));
    for (const [file, blob] of files) entries.push({ path: `${FILES}/${file}`, blob });
    const tree = await repo.writeTree(entries);
    if (!amend && tip && tip.info.tree === tree) return; // nothing new (a file edit that changed nothing)

    if (!amend && tip?.meta.kind === 'save' && p.kind === 'save') {
      // A save that changed only the view (the viewport a pan or a find moved): folded into the newest entry,
      // which keeps its summary and time, so moving around never adds a version.
      if (
        changedFiles(tip.files, files).length === 0 &&
        projectChanges(tip.project, p.project).length === 0
      ) {
        const meta = { ...tip.meta, version: p.project.version, saves: tip.meta.saves + p.saves };
        await this.commit(repo, id, tip, {
          tree,
          parents: tip.info.parents,
          message: withMeta(tip.info.message.split('\n')[0] ?? '', meta),
          authorDate: tip.info.authorDate,
          commitDate: tip.info.commitDate,
          project: p.project,
          files,
          parent: tip.parent,
        });
        return;
      }
    }

    const base = amend
      ? await this.parentOf(repo, id, tip)
      : tip && { commit: tip.info.commit, project: tip.project, files: tip.files };
    const summary = this.summarize(base?.project ?? null, p, base ? changedFiles(base.files, files) : []);
    await this.commit(repo, id, tip, {
      tree,
      parents: amend ? tip.info.parents : tip ? [tip.info.commit] : [],
      message: withMeta(summary, {
        kind: p.kind,
        version: p.project.version,
        fromVersion: amend ? tip.meta.fromVersion : p.fromVersion,
        saves: amend ? tip.meta.saves + p.saves : p.saves,
      }),
      authorDate: amend ? tip.info.authorDate : new Date(p.firstAt).toISOString(),
      commitDate: new Date(p.lastAt).toISOString(),
      project: p.project,
      files,
      parent: amend ? tip.parent : base,
    });
    await this.maybePrune(repo, id);
  }

  /** Writes a commit, moves the branch (compare-and-swap) and remembers it as the project's newest entry. */
  private async commit(
    repo: HistoryRepo,
    id: string,
    previous: Tip | null,
    next: Omit<CommitInfo, 'commit'> & Pick<Tip, 'project' | 'files' | 'parent'>,
  ): Promise<void> {
    const commit = await repo.commitTree(next.tree, next.parents, next.message, {
      author: next.authorDate,
      committer: next.commitDate,
    });
    try {
      await repo.updateBranch(commit, previous?.info.commit ?? null);
    } catch (error) {
      this.tips.delete(id); // the branch moved under us: read it again next time
      throw error;
    }
    const info: CommitInfo = {
      commit,
      tree: next.tree,
      parents: next.parents,
      authorDate: next.authorDate,
      commitDate: next.commitDate,
      message: next.message,
    };
    this.tips.set(id, {
      info,
      meta: readMeta(info),
      project: next.project,
      files: next.files,
      parent: next.parent,
    });
  }

  /** The newest entry, from memory when this process wrote it (saves a few git processes per write). */
  private async tipOf(repo: HistoryRepo, id: string): Promise<Tip | null> {
    const cached = this.tips.get(id);
    if (cached) return cached;
    await repo.clearStaleLocks(); // the first write of this process: what a crash left is stale
    const head = await repo.head();
    if (!head) return null;
    const info = await repo.commit(head);
    return {
      info,
      meta: readMeta(info),
      project: await this.projectAt(repo, id, head),
      files: await repo.listTree(head, FILES),
      parent: undefined,
    };
  }

  private async parentOf(repo: HistoryRepo, id: string, tip: Tip): Promise<(Tip['parent'] & object) | null> {
    if (tip.parent !== undefined) return tip.parent;
    const commit = tip.info.parents[0];
    tip.parent = commit
      ? { commit, project: await this.projectAt(repo, id, commit), files: await repo.listTree(commit, FILES) }
      : null;
    return tip.parent;
  }

  /** Files the history keeps, by the rule in the README: text files the Files tab lists, ≤ 256 KiB each. */
  private async snapshotFiles(id: string): Promise<{ relative: string; absolute: string }[]> {
    const root = this.workspaceOf(id);
    const exists = await fs.stat(path.join(root, 'pyproject.toml')).then(
      () => true,
      () => false,
    );
    if (!exists) return [];
    const out: { relative: string; absolute: string }[] = [];
    for (const f of await listFiles(root)) {
      if (!HISTORY_FILE.test(f.path) || f.size > HISTORY_MAX_FILE || f.path === 'uv.lock') continue;
      // Listed without following links; the real path is checked again, so git reads nothing outside.
      const absolute = await realPathInside(root, path.join(root, f.path)).catch(() => null);
      if (absolute) out.push({ relative: f.path, absolute });
    }
    return out;
  }

  private summarize(
    before: ProjectFile | null,
    p: Pending,
    changed: { path: string; verb: string }[],
  ): string {
    const after = p.project;
    if (p.kind === 'restore' && p.note) return p.note;
    if (p.kind === 'before-restore') return p.note ?? 'before a restore';
    if (!before) {
      const n = after.graph.nodes.length;
      return `created the project "${after.name}"${n ? ` with ${n} node${n === 1 ? '' : 's'}` : ''}`;
    }
    const parts = projectChanges(before, after);
    // Files: the ones the user edited (a defs.yaml follows the graph, so it is named only when the graph did not change).
    const managed = managedPaths(after);
    const own = changed.filter((f) => !managed.has(f.path) || parts.length === 0);
    if (own.length === 1) parts.push(`${own[0]!.verb} ${own[0]!.path}`);
    else if (own.length > 1) parts.push(`changed ${own.length} files`);
    if (parts.length === 0) return p.note ?? 'saved (no change)';
    return parts.join(', ');
  }

  private async projectAt(repo: HistoryRepo, id: string, commit: string): Promise<ProjectFile> {
    const text = await repo.readText(commit, 'project.json');
    if (text === null)
      throw new AppError(500, 'history_corrupt', `History entry ${commit} holds no project.`);
    return parseProjectFile(text, id);
  }

  private async maybePrune(repo: HistoryRepo, id: string): Promise<void> {
    const now = Date.now();
    if (now - (this.lastPrune.get(id) ?? 0) < 60 * 60 * 1000) return;
    this.lastPrune.set(id, now);
    if ((await this.prune(repo, new Date(now))) > 0)
      this.tips.delete(id); // the commits were rebuilt
    // Loose objects packed once there are many (git's own threshold), so the folder stays a few files.
    else await repo.git(['-c', 'gc.autoDetach=false', 'gc', '--auto', '--quiet']);
  }

  /** Rewrites the branch with only the entries the policy keeps (same trees, messages and dates). */
  async prune(repo: HistoryRepo, now: Date): Promise<number> {
    const all = await repo.commits();
    const keep = new Set(
      entriesToKeep(
        all.map((c) => ({ commit: c.commit, at: c.commitDate })),
        now,
        this.options.prune,
      ),
    );
    if (keep.size === all.length) return 0;
    let parent: string | null = null;
    for (const c of all.filter((e) => keep.has(e.commit)).reverse())
      parent = await repo.commitTree(c.tree, parent ? [parent] : [], c.message, {
        author: c.authorDate,
        committer: c.commitDate,
      });
    await repo.updateBranch(parent!, all[0]!.commit);
    await repo.git(['gc', '--prune=now', '--quiet']);
    return all.length - keep.size;
  }

  // ----- reading -----

  async list(id: string, offset: number, limit: number): Promise<HistoryPage> {
    const repo = this.repoOf(id);
    return this.queue.run(id, async () => {
      const commits = await repo.commits({ skip: offset, limit });
      return { entries: commits.map(toEntry), total: await repo.count(), pending: this.pending.has(id) };
    });
  }

  async checkedEntry(id: string, commit: string): Promise<{ repo: HistoryRepo; info: CommitInfo }> {
    const repo = this.repoOf(id);
    if (!/^[0-9a-f]{40}$/.test(commit))
      throw badRequest(
        'invalid_commit',
        `"${commit.slice(0, 80)}" is not a history entry id.`,
        'Entry ids are the 40-hex commit ids GET /api/projects/:id/history lists.',
      );
    if (!(await repo.isEntry(commit)))
      throw notFound('history_entry_not_found', `The project's history has no entry ${commit}.`);
    return { repo, info: await repo.commit(commit) };
  }

  async version(id: string, commit: string) {
    return this.queue.run(id, async () => {
      const { repo, info } = await this.checkedEntry(id, commit);
      const project = await this.projectAt(repo, id, commit);
      return { entry: toEntry(info), project, files: [...(await repo.listTree(commit, FILES)).keys()] };
    });
  }

  /** The text of each file a version holds (for a restore). */
  async filesAt(id: string, commit: string): Promise<{ path: string; content: Buffer }[]> {
    const repo = this.repoOf(id);
    const out: { path: string; content: Buffer }[] = [];
    for (const file of (await repo.listTree(commit, FILES)).keys()) {
      const content = await repo.readBuffer(commit, `${FILES}/${file}`);
      if (content) out.push({ path: file, content });
    }
    return out;
  }

  async diff(id: string, from: string, to: string): Promise<HistoryDiff> {
    return this.queue.run(id, async () => {
      const a = await this.checkedEntry(id, from);
      const b = await this.checkedEntry(id, to);
      const before = await this.projectAt(a.repo, id, from);
      const after = await this.projectAt(a.repo, id, to);
      const graph = diffGraphs(before.graph, after.graph);
      const removed = new Set(graph.nodes.removed.map((n) => n.id));
      return {
        from: toEntry(a.info),
        to: toEntry(b.info),
        summary: isEmptyDiff(graph) ? 'no change to the graph' : summarizeDiff(graph, 400),
        graph,
        removedNodes: before.graph.nodes.filter((n) => removed.has(n.id)),
        files: await a.repo.fileDiffs(from, to, FILES),
      };
    });
  }
}

/** The newest entry of a project as this process knows it; `parent` is read from git only when needed. */
interface Tip {
  info: CommitInfo;
  meta: Meta;
  project: ProjectFile;
  /** Workspace-relative path → blob id. */
  files: Map<string, string>;
  parent: { commit: string; project: ProjectFile; files: Map<string, string> } | null | undefined;
}

function changedFiles(
  before: Map<string, string>,
  after: Map<string, string>,
): { path: string; verb: string }[] {
  const out: { path: string; verb: string }[] = [];
  for (const [file, blob] of after)
    if (!before.has(file)) out.push({ path: file, verb: 'added' });
    else if (before.get(file) !== blob) out.push({ path: file, verb: 'edited' });
  for (const file of before.keys()) if (!after.has(file)) out.push({ path: file, verb: 'removed' });
  return out;
}

/** What changed between two saved states of the project file, in the words of a history summary. */
function projectChanges(before: ProjectFile, after: ProjectFile): string[] {
  const parts: string[] = [];
  const diff = diffGraphs(before.graph, after.graph);
  if (!isEmptyDiff(diff)) parts.push(summarizeDiff(diff));
  if (before.name !== after.name) parts.push(`renamed the project to "${after.name}"`);
  if (JSON.stringify(before.env ?? []) !== JSON.stringify(after.env ?? []))
    parts.push('edited the env var list');
  if ((before.description ?? '') !== (after.description ?? '')) parts.push('edited the description');
  return parts;
}

function withMeta(summary: string, meta: Meta): string {
  return `${summary}\n\n${Object.entries(meta)
    .map(([k, v]) => `Designer-${k}: ${String(v)}`)
    .join('\n')}\n`;
}

interface Meta {
  kind: Kind;
  version: number;
  fromVersion: number;
  saves: number;
}

/** "2026-11-26 13:17:08 UTC": a time in a summary line, readable in any locale. */
const utc = (iso: string) => iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');

function readMeta(info: CommitInfo): Meta {
  const field = (name: string) => new RegExp(`^Designer-${name}: (.*)$`, 'm').exec(info.message)?.[1]?.trim();
  const kind = field('kind') as Kind | undefined;
  const version = Number(field('version') ?? 0);
  return {
    kind: kind && ['save', 'files', 'restore', 'before-restore'].includes(kind) ? kind : 'save',
    version,
    fromVersion: Number(field('fromVersion') ?? version),
    saves: Number(field('saves') ?? 1),
  };
}

function toEntry(info: CommitInfo): HistoryEntry {
  const meta = readMeta(info);
  return {
    commit: info.commit,
    version: meta.version,
    fromVersion: meta.fromVersion,
    at: new Date(info.commitDate).toISOString(),
    kind: meta.kind,
    summary: info.message.split('\n')[0] ?? '',
    saves: meta.saves,
  };
}

/** Workspace-relative paths of the defs.yaml files the designer writes from the graph. */
export function managedPaths(
  project: Pick<ProjectFile, 'package_name'> & { graph: Pick<Graph, 'nodes'> },
): Set<string> {
  const defs = path.relative('/', defsDirOf('/', project.package_name)).split(path.sep).join('/');
  return new Set(
    project.graph.nodes.filter((n) => n.type !== 'python').map((n) => `${defs}/${nodeLocation(n).path}`),
  );
}

/**
 * Makes an old version the current one as a new save: the project first (its version checked: stale → 409),
 * then the files the user owns that the version holds, written back where they differ (a node's defs.yaml is
 * not: sync writes it from the restored graph). What the workspace held before is kept as an entry first, so a
 * restore loses nothing, not even files edited by hand since the last save.
 */
export async function restoreVersion(
  history: ProjectHistory,
  store: {
    read(id: string): Promise<ProjectFile>;
    save(
      id: string,
      body: {
        version: number;
        graph: Graph;
        name?: string;
        env?: ProjectFile['env'];
        description?: string;
      },
    ): Promise<ProjectFile>;
  },
  id: string,
  commit: string,
  version: number,
  root: string | null,
): Promise<{ project: ProjectFile; files: string[] }> {
  const old = await history.version(id, commit);
  const current = await store.read(id);
  if (current.version !== version) {
    throw new AppError(
      409,
      'stale_version',
      `This project was saved elsewhere (version ${current.version}; you restored onto version ${version}).`,
      'Reload to get the latest version, then restore again.',
      { currentVersion: current.version },
    );
  }
  await history.flush(id);
  history.recorded(current, 'before-restore');
  history.note(id, `before restoring the version of ${utc(old.entry.at)}`);
  await history.flush(id);
  const project = await store.save(id, {
    version,
    graph: old.project.graph,
    name: old.project.name, // a rename since is undone too: the version is restored as it was
    env: old.project.env,
    description: old.project.description ?? '',
  });
  history.recorded(project, 'restore');
  history.note(id, `restored the version of ${utc(old.entry.at)} (${old.entry.summary})`.slice(0, 300));
  const written: string[] = [];
  if (root) {
    const managed = new Set([...managedPaths(project), ...managedPaths(current)]);
    for (const file of await history.filesAt(id, commit)) {
      if (managed.has(file.path) || pathProblem(file.path) || isHiddenPath(file.path)) continue;
      const target = path.join(root, file.path);
      const now = await fs.readFile(await realPathInside(root, target)).catch(() => null);
      if (now && now.equals(file.content)) continue;
      await writeFileInside(root, target, file.content);
      written.push(file.path);
    }
  }
  return { project, files: written };
}
