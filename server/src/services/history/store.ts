// Project history: every save kept as a commit of a local bare Git repository (`<dataDir>/.history/<id>.git`),
// written in the background (a save only notes the new state in memory), bursts of autosaves squashed into one
// entry, old entries thinned out. Never inside the user's workspace, never pushed or exported. This module
// schedules the writes and reads the entries; writer.ts writes them.
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  diffGraphs,
  isEmptyDiff,
  summarizeDiff,
  type HistoryDiff,
  type HistoryPage,
  type ProjectFile,
} from '@designer/shared';
import { badRequest, notFound } from '../../errors.js';
import { KeyedQueue } from '../atomic-file.js';
import { assertProjectId } from '../project-store.js';
import { toEntry, type Kind, type Pending } from './entries.js';
import { HistoryRepo, type CommitInfo } from './git.js';
import { DEFAULT_PRUNE_POLICY } from './prune.js';
import { FILES } from './snapshot.js';
import { HistoryWriter, projectAt, type HistoryOptions } from './writer.js';

export const DEFAULT_HISTORY_OPTIONS: HistoryOptions = {
  // Written once saves pause for 2 s (sync writes the defs.yaml 1 s after a save, so the entry holds them),
  // or every minute of uninterrupted saving: never while a burst of saves is still coming in.
  delayMs: 2_000,
  maxDelayMs: 60_000,
  squashMs: 10_000,
  burstMs: 120_000,
  prune: DEFAULT_PRUNE_POLICY,
};

export class ProjectHistory {
  private pending = new Map<string, Pending>();
  private queue = new KeyedQueue();
  private timersStopped = false;
  private removed = new Set<string>();
  private readonly writer: HistoryWriter;
  /** Failures of background writes, for the log (a failed history write never touches the save). */
  onError: (error: unknown, projectId: string) => void = () => undefined;

  constructor(
    readonly dataDir: string,
    workspaceOf: (id: string) => string,
    options: Partial<HistoryOptions> = {},
  ) {
    this.options = { ...DEFAULT_HISTORY_OPTIONS, ...options };
    this.writer = new HistoryWriter(this.options, workspaceOf);
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
      if (p && !this.removed.has(id)) await this.writer.write(this.repoOf(id), p);
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
      this.writer.forget(id);
      await fs.rm(repo.gitDir, { recursive: true, force: true });
    });
  }

  /** Rewrites the branch with only the entries the policy keeps (same trees, messages and dates). */
  prune(repo: HistoryRepo, now: Date): Promise<number> {
    return this.writer.prune(repo, now);
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
      const project = await projectAt(repo, id, commit);
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
      const before = await projectAt(a.repo, id, from);
      const after = await projectAt(a.repo, id, to);
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
