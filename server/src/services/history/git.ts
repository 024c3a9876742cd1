// The Git plumbing of project history: one bare repository per project, written without a work tree (blobs,
// a throw-away index, write-tree, commit-tree, a compare-and-swap of the branch). git runs through execa with
// an argument array, a timeout and no user or system configuration (no hooks, helpers or credentials apply).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { AppError } from '../../errors.js';

export const HISTORY_BRANCH = 'refs/heads/main';
const TIMEOUT_MS = 30_000;
const IDENTITY = { name: 'Dagster Designer', email: 'history@designer.invalid' };
const INDEX_PREFIX = 'designer-index-';

export interface CommitInfo {
  commit: string;
  tree: string;
  parents: string[];
  authorDate: string;
  commitDate: string;
  message: string;
}

export class HistoryRepo {
  constructor(readonly gitDir: string) {}

  async git(args: string[], options: { input?: string | Buffer; env?: Record<string, string> } = {}) {
    const result = await execa('git', [`--git-dir=${this.gitDir}`, ...args], {
      input: options.input,
      timeout: TIMEOUT_MS,
      reject: false,
      stripFinalNewline: false,
      encoding: 'utf8',
      env: {
        GIT_TERMINAL_PROMPT: '0',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: os.devNull,
        GIT_AUTHOR_NAME: IDENTITY.name,
        GIT_AUTHOR_EMAIL: IDENTITY.email,
        GIT_COMMITTER_NAME: IDENTITY.name,
        GIT_COMMITTER_EMAIL: IDENTITY.email,
        ...options.env,
      },
    });
    if (result.exitCode !== 0 || result.timedOut) {
      throw new AppError(
        500,
        'history_git_failed',
        `git ${args[0]} failed in the project history: ${String(result.stderr).trim().slice(0, 300) || (result.timedOut ? 'timed out' : `exit ${result.exitCode}`)}`,
      );
    }
    return String(result.stdout);
  }

  async exists(): Promise<boolean> {
    return fs
      .stat(path.join(this.gitDir, 'HEAD'))
      .then(() => true)
      .catch(() => false);
  }

  async init(): Promise<void> {
    if (await this.exists()) return;
    await fs.mkdir(path.dirname(this.gitDir), { recursive: true });
    const result = await execa('git', ['init', '--bare', '--quiet', '--initial-branch=main', this.gitDir], {
      timeout: TIMEOUT_MS,
      reject: false,
      env: { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull },
    });
    if (result.exitCode !== 0)
      throw new AppError(
        500,
        'history_git_failed',
        `git init failed: ${String(result.stderr).slice(0, 300)}`,
      );
  }

  /**
   * Locks a killed git left behind (a crash in the middle of `update-ref` leaves `main.lock`, and every later
   * write would fail on it). Only this process writes a project's history, one write at a time, so before its
   * first write any lock is stale.
   */
  async clearStaleLocks(): Promise<void> {
    for (const lock of ['refs/heads/main.lock', 'packed-refs.lock', 'HEAD.lock', 'config.lock', 'gc.pid'])
      await fs.rm(path.join(this.gitDir, lock), { force: true });
    // The throw-away indexes of writes a crash interrupted (and their locks).
    const names = await fs.readdir(this.gitDir).catch(() => [] as string[]);
    for (const name of names)
      if (name.startsWith(INDEX_PREFIX)) await fs.rm(path.join(this.gitDir, name), { force: true });
  }

  async head(): Promise<string | null> {
    if (!(await this.exists())) return null;
    const out = await this.git(['for-each-ref', '--format=%(objectname)', HISTORY_BRANCH]);
    return out.trim() || null;
  }

  /** Blob ids of `contents` (written into the repository). */
  async writeBlob(content: string | Buffer): Promise<string> {
    return (await this.git(['hash-object', '-w', '--stdin'], { input: content })).trim();
  }

  /** Blob ids of files on disk, in order (`--no-filters`: the bytes as they are). */
  async writeFileBlobs(files: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < files.length; i += 200) {
      const chunk = files.slice(i, i + 200);
      const out = await this.git(['hash-object', '-w', '--no-filters', '--stdin-paths'], {
        input: `${chunk.join('\n')}\n`,
      });
      ids.push(...out.trim().split('\n'));
    }
    return ids;
  }

  /**
   * A tree of `path → blob` (nested paths allowed), built in a throw-away index inside the repository (where
   * `clearStaleLocks` finds one a killed write left behind; it was in the system's temp folder, where nothing did).
   */
  async writeTree(entries: { path: string; blob: string }[]): Promise<string> {
    const index = path.join(this.gitDir, `${INDEX_PREFIX}${randomBytes(6).toString('hex')}`);
    try {
      const env = { GIT_INDEX_FILE: index };
      await this.git(['update-index', '--add', '--index-info'], {
        input: entries.map((e) => `100644 ${e.blob}\t${e.path}\n`).join(''),
        env,
      });
      return (await this.git(['write-tree'], { env })).trim();
    } finally {
      await fs.rm(index, { force: true });
    }
  }

  async commitTree(
    tree: string,
    parents: string[],
    message: string,
    dates: { author: string; committer: string },
  ): Promise<string> {
    const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-F', '-'];
    return (
      await this.git(args, {
        input: message,
        env: { GIT_AUTHOR_DATE: dates.author, GIT_COMMITTER_DATE: dates.committer },
      })
    ).trim();
  }

  /** Moves the branch to `next` only if it still is `previous` (null: the branch must not exist yet). */
  async updateBranch(next: string, previous: string | null): Promise<void> {
    await this.git(['update-ref', HISTORY_BRANCH, next, previous ?? '0'.repeat(40)]);
  }

  async commits(options: { skip?: number; limit?: number } = {}): Promise<CommitInfo[]> {
    if (!(await this.head())) return [];
    const args = ['log', `--format=${LOG_FORMAT}`];
    if (options.skip) args.push(`--skip=${options.skip}`);
    if (options.limit !== undefined) args.push(`--max-count=${options.limit}`);
    args.push(HISTORY_BRANCH, '--');
    return parseCommits(await this.git(args));
  }

  async count(): Promise<number> {
    if (!(await this.head())) return 0;
    return Number((await this.git(['rev-list', '--count', HISTORY_BRANCH, '--'])).trim());
  }

  /** Whether `commit` is an entry of this history (on the branch), not just any object. */
  async isEntry(commit: string): Promise<boolean> {
    if (!(await this.head())) return false;
    const result = await execa(
      'git',
      [`--git-dir=${this.gitDir}`, 'merge-base', '--is-ancestor', commit, HISTORY_BRANCH],
      {
        timeout: TIMEOUT_MS,
        reject: false,
        env: { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull },
      },
    );
    return result.exitCode === 0;
  }

  async commit(commit: string): Promise<CommitInfo> {
    const [info] = await this.commitsOf([commit]);
    return info!;
  }

  private async commitsOf(ids: string[]): Promise<CommitInfo[]> {
    return parseCommits(await this.git(['show', '--no-patch', `--format=${LOG_FORMAT}`, ...ids, '--']));
  }

  async readText(commit: string, file: string): Promise<string | null> {
    const out = await execa('git', [`--git-dir=${this.gitDir}`, 'cat-file', 'blob', `${commit}:${file}`], {
      timeout: TIMEOUT_MS,
      reject: false,
      stripFinalNewline: false,
      env: { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull },
    });
    return out.exitCode === 0 ? String(out.stdout) : null;
  }

  async readBuffer(commit: string, file: string): Promise<Buffer | null> {
    const out = await execa('git', [`--git-dir=${this.gitDir}`, 'cat-file', 'blob', `${commit}:${file}`], {
      timeout: TIMEOUT_MS,
      reject: false,
      stripFinalNewline: false,
      encoding: 'buffer',
      env: { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull },
    });
    return out.exitCode === 0 ? Buffer.from(out.stdout) : null;
  }

  /** `path → blob` of every file under `prefix/` in a tree or commit, paths without the prefix. */
  async listTree(treeish: string, prefix: string): Promise<Map<string, string>> {
    const out = await this.git(['ls-tree', '-r', '-z', '--full-tree', treeish, '--', `${prefix}/`]);
    const files = new Map<string, string>();
    for (const line of out.split('\0')) {
      const m = /^\d+ blob ([0-9a-f]{40})\t(.*)$/s.exec(line);
      if (m && m[2]!.startsWith(`${prefix}/`)) files.set(m[2]!.slice(prefix.length + 1), m[1]!);
    }
    return files;
  }

  /** git's unified diff between two commits under `prefix/`, one text per file. */
  async fileDiffs(
    from: string,
    to: string,
    prefix: string,
  ): Promise<{ path: string; status: 'added' | 'modified' | 'deleted'; diff: string }[]> {
    const out = await this.git([
      'diff',
      '--no-color',
      '--no-ext-diff',
      '--no-renames',
      '--no-textconv',
      '-U3',
      from,
      to,
      '--',
      `${prefix}/`,
    ]);
    const chunks = out.split(/^(?=diff --git )/m).filter((c) => c.startsWith('diff --git '));
    return chunks.map((chunk) => {
      const header = chunk.slice(0, chunk.indexOf('\n'));
      const m = / b\/(.*)$/.exec(header);
      const full = m?.[1] ?? '';
      const status = /^new file mode/m.test(chunk)
        ? 'added'
        : /^deleted file mode/m.test(chunk)
          ? 'deleted'
          : 'modified';
      const diff = chunk.length > 200_000 ? `${chunk.slice(0, 200_000)}\n… (cut at 200 KB)\n` : chunk;
      return { path: full.startsWith(`${prefix}/`) ? full.slice(prefix.length + 1) : full, status, diff };
    });
  }
}

const LOG_FORMAT = '%H%x1f%T%x1f%P%x1f%aI%x1f%cI%x1f%B%x1e';

function parseCommits(out: string): CommitInfo[] {
  return out
    .split('\x1e')
    .map((r) => r.replace(/^\n/, ''))
    .filter((r) => r.trim() !== '')
    .map((r) => {
      const [commit, tree, parents, authorDate, commitDate, message] = r.split('\x1f');
      return {
        commit: commit!,
        tree: tree!,
        parents: parents ? parents.split(' ').filter(Boolean) : [],
        authorDate: authorDate!,
        commitDate: commitDate!,
        message: message ?? '',
      };
    });
}
