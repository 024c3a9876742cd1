// Push: diff the generated project against a remote branch, commit, push (and the fetches pull and import use).
// Tokens reach git through GIT_ASKPASS for that one command; they are never written to a URL,
// .git/config, a credential store, a log, an error message or a commit.
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SimpleGit } from 'simple-git';
import type { GitChange, GitTarget, ProjectFile } from '@designer/shared';
import { AppError } from '../../errors.js';
import { realPathInside } from '../../lib/safe-path.js';
import { writeFileInside } from '../atomic-file.js';
import { isHiddenPath } from '../workspace-files.js';
import { handOverFiles } from '../zip-writer.js';
import { gitClient } from './client.js';
import { gitError } from './errors.js';
import { gitBranchProblem, normaliseRemote, remoteProblem, textProblem, validateTarget } from './target.js';

const MAX_DIFF = 256 * 1024;

/**
 * The project's files win over what the branch holds in their way: a file (or a link checked out as one) where
 * the project has a folder is removed, so the write lands in a real folder of the work tree.
 */
async function clearNonFoldersOnTheWay(dir: string, relative: string): Promise<void> {
  const parts = relative.split('/').slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const at = path.join(dir, ...parts.slice(0, i));
    const stat = await fs.lstat(at).catch(() => null);
    if (!stat) return;
    if (!stat.isDirectory()) {
      await fs.rm(at, { force: true });
      return;
    }
  }
}

/** Removes the files below `folder` that a hand-over would carry; links are never followed (nor kept as links). */
async function removeHandedOverFiles(dir: string, folder: string): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch {
    return; // not on the branch
  }
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) await removeHandedOverFiles(dir, full);
    else if (!isHiddenPath(path.relative(dir, full))) await fs.rm(full, { force: true });
  }
}

/** A file the designer adds to a push besides the project's own (kept when the branch has one at that path). */
export interface ExtraFile {
  name: string;
  data: string | Uint8Array;
  mode: number;
}

export class GitPublisher {
  /** Tokens entered this session, per project, each bound to the remote it was given for: memory only. */
  private tokens = new Map<string, { remote: string; token: string }>();

  constructor(private readonly workDir: string) {}

  /** The token given now, or the one remembered for exactly this remote; never one given for another remote. */
  private tokenFor(projectId: string, target: GitTarget): string | undefined {
    const remote = normaliseRemote(target.remote);
    if (target.token) {
      this.tokens.set(projectId, { remote, token: target.token });
      return target.token;
    }
    const kept = this.tokens.get(projectId);
    return kept && kept.remote === remote ? kept.token : undefined;
  }

  forgetToken(projectId: string): void {
    this.tokens.delete(projectId);
  }

  private fail(error: unknown, token: string | undefined, remote: string): never {
    throw gitError(error instanceof Error ? error.message : String(error), token, remote);
  }

  /** A fresh work tree holding the remote branch (if it exists) with the project's files on top, staged. */
  private async prepare(
    project: ProjectFile,
    root: string,
    target: GitTarget,
    extra: readonly ExtraFile[] = [],
  ): Promise<{ git: SimpleGit; dir: string; token?: string; base: string | null }> {
    await validateTarget(target);
    const token = this.tokenFor(project.id, target);
    const dir = path.join(this.workDir, project.id);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { recursive: true });
    const git = gitClient(dir, token, target.username);
    let base: string | null = null;
    try {
      await git.init(['--initial-branch', target.branch]);
      // A branch may hold links (a hostile one, `src` → /etc): checked out as plain files holding the link's
      // text, they can never lead a write of ours out of the work tree; git keeps them links on the branch.
      // (Import clones keep links, to judge each one: see dropUnsafeEntries.)
      await git.addConfig('core.symlinks', 'false');
      await git.addRemote('origin', target.remote);
      const heads = await git.listRemote(['--heads', 'origin', `refs/heads/${target.branch}`]);
      if (heads.trim() !== '') {
        await git.fetch('origin', target.branch, ['--depth', '1']);
        await git.checkout(['-B', target.branch, 'FETCH_HEAD']);
        base = (await git.revparse(['HEAD'])).trim();
      }
    } catch (error) {
      this.fail(error, token, target.remote);
    }
    // The designer owns the package (src/<pkg>/) and the files it writes at the root: those are replaced,
    // so a deleted component disappears from the branch. Anything else on the branch (docs, CI, notes) stays,
    // and so do the files in the package a hand-over never carries (secret-looking names, caches): the designer
    // cannot know them, so it does not delete them.
    // Containment as for every workspace write (links resolved, then checked), whatever the branch holds.
    await clearNonFoldersOnTheWay(dir, `src/${project.package_name}/`);
    await removeHandedOverFiles(dir, await realPathInside(dir, path.join(dir, 'src', project.package_name)));
    for (const file of await handOverFiles(project, root)) {
      await clearNonFoldersOnTheWay(dir, file.name);
      // Bytes and execute bit as in the workspace: an imported project's files reach the branch unchanged.
      await writeFileInside(dir, path.join(dir, file.name), file.data, file.mode);
    }
    // Files the designer adds for the team (the Dagster+ CI file) only where the branch has none of its own.
    for (const file of extra) {
      if (await fs.lstat(path.join(dir, file.name)).catch(() => null)) continue;
      await clearNonFoldersOnTheWay(dir, file.name);
      await writeFileInside(dir, path.join(dir, file.name), file.data, file.mode);
    }
    await git.add(['-A']);
    return { git, dir, token, base };
  }

  /**
   * For a pull: a fresh repository in `dir` holding the branch's history (full, so the base of the last push or
   * pull is in it) as refs/remotes/origin/pulled, with the same token rules as a push. Answers its head (null when
   * the branch is missing); git/pull-plan.ts reads that repository with local commands only (no remote, no token).
   */
  async fetchBranch(projectId: string, target: GitTarget, dir: string): Promise<{ head: string | null }> {
    await validateTarget(target);
    const token = this.tokenFor(projectId, target);
    const git = gitClient(dir, token, target.username);
    let head: string | null = null;
    try {
      await git.init(['--initial-branch', 'designer-pull']);
      await git.addConfig('core.symlinks', 'false');
      await git.addRemote('origin', target.remote);
      const heads = await git.listRemote(['--heads', 'origin', `refs/heads/${target.branch}`]);
      if (heads.trim() !== '') {
        await git.fetch('origin', `refs/heads/${target.branch}:refs/remotes/origin/pulled`, ['--no-tags']);
        head = (await git.revparse(['refs/remotes/origin/pulled'])).trim();
      }
    } catch (error) {
      this.fail(error, token, target.remote);
    }
    return { head };
  }

  /** A shallow clone of a branch (default: the remote's default) into `target`, for import. */
  async cloneInto(
    source: { remote: string; branch?: string; token?: string; username?: string },
    target: string,
  ): Promise<void> {
    const r = remoteProblem(source.remote);
    if (r) throw new AppError(400, 'invalid_remote', `The remote ${r}.`);
    const b = source.branch === undefined ? null : await gitBranchProblem(source.branch);
    if (b) throw new AppError(400, 'invalid_branch', `"${source.branch!.slice(0, 100)}" ${b}.`);
    for (const [what, value] of [
      ['token', source.token],
      ['user name', source.username],
    ] as const) {
      const problem = textProblem(value, false);
      if (problem) throw new AppError(400, `invalid_${what.replace(' ', '_')}`, `The ${what} ${problem}.`);
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    const git = gitClient(path.dirname(target), source.token, source.username);
    try {
      await git.clone(source.remote, target, [
        '--depth',
        '1',
        ...(source.branch ? ['--branch', source.branch] : []),
      ]);
    } catch (error) {
      this.fail(error, source.token, source.remote);
    }
    await fs.rm(path.join(target, '.git'), { recursive: true, force: true });
  }

  private async changes(git: SimpleGit): Promise<GitChange[]> {
    const status = await git.status();
    const kind = (index: string): GitChange['status'] =>
      index === 'A' || index === '?'
        ? 'added'
        : index === 'D'
          ? 'deleted'
          : index === 'R'
            ? 'renamed'
            : 'modified';
    return status.files
      .map((f) => ({ path: f.path, status: kind(f.index) }))
      .sort((a, b) => a.path.localeCompare(b.path));
  }

  async diff(
    project: ProjectFile,
    root: string,
    target: GitTarget,
    extra: readonly ExtraFile[] = [],
  ): Promise<{ base: string | null; files: GitChange[]; diff: string; truncated: boolean }> {
    const { git, token, base } = await this.prepare(project, root, target, extra);
    try {
      const files = await this.changes(git);
      const text = await git.diff(['--cached', '--no-color']);
      return { base, files, diff: text.slice(0, MAX_DIFF), truncated: text.length > MAX_DIFF };
    } catch (error) {
      this.fail(error, token, target.remote);
    }
  }

  async push(
    project: ProjectFile,
    root: string,
    target: GitTarget & { message?: string; authorName?: string; authorEmail?: string },
    extra: readonly ExtraFile[] = [],
  ): Promise<{ commit: string | null; branch: string; files: GitChange[]; created: boolean }> {
    const { git, token, base } = await this.prepare(project, root, target, extra);
    try {
      const files = await this.changes(git);
      if (files.length === 0) return { commit: null, branch: target.branch, files, created: false };
      const message = target.message?.trim() || defaultMessage(project, files);
      const name = target.authorName?.trim() || 'Dagster Designer';
      const email = target.authorEmail?.trim() || 'designer@localhost';
      await git.raw([
        '-c',
        `user.name=${name}`,
        '-c',
        `user.email=${email}`,
        'commit',
        '--quiet',
        '--no-verify',
        '-m',
        message,
      ]);
      const commit = (await git.revparse(['HEAD'])).trim();
      await git.push('origin', `HEAD:refs/heads/${target.branch}`);
      return { commit, branch: target.branch, files, created: base === null };
    } catch (error) {
      this.fail(error, token, target.remote);
    }
  }
}

export function defaultMessage(project: ProjectFile, files: readonly GitChange[]): string {
  const count = (s: GitChange['status']) => files.filter((f) => f.status === s).length;
  const parts = [
    ['added', count('added')],
    ['modified', count('modified')],
    ['deleted', count('deleted')],
  ]
    .filter(([, n]) => (n as number) > 0)
    .map(([s, n]) => `${n} ${s}`);
  return `Update ${project.name} from Dagster Designer (${parts.join(', ')})`;
}
