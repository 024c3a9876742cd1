// Writing a history entry: a pending state of the project (and the workspace's files) becomes a commit of the
// project's bare repository, a new one or the newest amended (a burst of autosaves, a move of the view), and
// the repository is thinned out now and then by the prune policy.
import type { ProjectFile } from '@designer/shared';
import { AppError } from '../../errors.js';
import { parseProjectFile } from '../project-parse.js';
import {
  changedFiles,
  projectChanges,
  readMeta,
  summarizeEntry,
  withMeta,
  type Meta,
  type Pending,
} from './entries.js';
import type { CommitInfo, HistoryRepo } from './git.js';
import { entriesToKeep, type PrunePolicy } from './prune.js';
import { FILES, snapshotFiles } from './snapshot.js';

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

/** The newest entry of a project as this process knows it; `parent` is read from git only when needed. */
interface Tip {
  info: CommitInfo;
  meta: Meta;
  project: ProjectFile;
  /** Workspace-relative path → blob id. */
  files: Map<string, string>;
  parent: { commit: string; project: ProjectFile; files: Map<string, string> } | null | undefined;
}

/** The project file a history entry holds. */
export async function projectAt(repo: HistoryRepo, id: string, commit: string): Promise<ProjectFile> {
  const text = await repo.readText(commit, 'project.json');
  if (text === null) throw new AppError(500, 'history_corrupt', `History entry ${commit} holds no project.`);
  return parseProjectFile(text, id);
}

export class HistoryWriter {
  private lastPrune = new Map<string, number>();
  private tips = new Map<string, Tip>();

  constructor(
    private readonly options: HistoryOptions,
    private readonly workspaceOf: (id: string) => string,
  ) {}

  /** Forgets what this process knows of a project's newest entry (its repository is going). */
  forget(id: string): void {
    this.tips.delete(id);
  }

  async write(repo: HistoryRepo, p: Pending): Promise<void> {
    const id = p.project.id;
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
    const snapshot = await snapshotFiles(this.workspaceOf(id));
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
    const summary = summarizeEntry(base?.project ?? null, p, base ? changedFiles(base.files, files) : []);
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
      project: await projectAt(repo, id, head),
      files: await repo.listTree(head, FILES),
      parent: undefined,
    };
  }

  private async parentOf(repo: HistoryRepo, id: string, tip: Tip): Promise<(Tip['parent'] & object) | null> {
    if (tip.parent !== undefined) return tip.parent;
    const commit = tip.info.parents[0];
    tip.parent = commit
      ? { commit, project: await projectAt(repo, id, commit), files: await repo.listTree(commit, FILES) }
      : null;
    return tip.parent;
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
}
