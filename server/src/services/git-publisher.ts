// The only place that runs git: diff the generated project against a remote branch, commit, push.
// Tokens reach git through GIT_ASKPASS for that one command; they are never written to a URL,
// .git/config, a credential store, a log, an error message or a commit.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { GitChange, GitTarget, ProjectFile } from '@designer/shared';
import { AppError, redact } from '../errors.js';
import { handOverFiles } from './zip-writer.js';

const ASKPASS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'git-askpass.mjs');
const MAX_DIFF = 256 * 1024;
const GIT_ENV_ALLOWED =
  /^(PATH|HOME|USER|LOGNAME|LANG|LC_[A-Z]+|TZ|TMPDIR|SSH_AUTH_SOCK|SSL_CERT_(FILE|DIR)|(HTTPS?|NO|ALL)_PROXY|(https?|no|all)_proxy)$/;
const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock(\/|$))[A-Za-z0-9._/-]{1,200}(?<![/.])$/;

/** Accepts https/http/ssh URLs, scp-like `git@host:path`, `file://` and absolute local paths; nothing that git could run. */
export function remoteProblem(remote: string): string | null {
  if (remote.startsWith('-')) return 'must not start with "-"';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
  if (remote.length > 2000 || /[\s\u0000-\u001f]/.test(remote))
    return 'must be a single URL or path without spaces';
  if (/^[a-z][a-z0-9+.-]*::/i.test(remote) || remote.includes('ext::'))
    return 'uses a transport helper ("…::"), which can run commands';
  const url = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(remote);
  if (url) {
    const scheme = url[1]!.toLowerCase();
    if (!['https', 'http', 'ssh', 'git', 'file'].includes(scheme))
      return `uses the unsupported scheme "${scheme}"`;
    try {
      const parsed = new URL(remote);
      if (parsed.password || (parsed.username && scheme !== 'ssh'))
        return 'contains credentials: put the token in the token field instead';
    } catch {
      return 'is not a valid URL';
    }
    return null;
  }
  if (/^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^:]/.test(remote)) return null;
  if (path.isAbsolute(remote)) return null;
  return 'must be an https://, ssh:// or git@host:path URL, or an absolute path to a repository';
}

export function branchProblem(branch: string): string | null {
  return BRANCH.test(branch) ? null : 'is not a valid branch name';
}

export class GitPublisher {
  /** Tokens entered this session, per project: memory only. */
  private tokens = new Map<string, string>();

  constructor(private readonly workDir: string) {}

  private validate(target: GitTarget): void {
    const r = remoteProblem(target.remote);
    if (r)
      throw new AppError(
        400,
        'invalid_remote',
        `The remote ${r}.`,
        'Example: https://github.com/acme/pipelines.git',
      );
    const b = branchProblem(target.branch);
    if (b)
      throw new AppError(
        400,
        'invalid_branch',
        `"${target.branch.slice(0, 100)}" ${b}.`,
        'Use letters, digits, "-", "_", "." and "/", e.g. designer/sales.',
      );
  }

  private tokenFor(projectId: string, target: GitTarget): string | undefined {
    if (target.token) this.tokens.set(projectId, target.token);
    return target.token ?? this.tokens.get(projectId);
  }

  forgetToken(projectId: string): void {
    this.tokens.delete(projectId);
  }

  private git(dir: string, token: string | undefined, username: string | undefined): SimpleGit {
    // An allowlist, not the designer's whole environment: EDITOR, PAGER or GIT_* there could make git run
    // something else (simple-git refuses several of them outright).
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && GIT_ENV_ALLOWED.test(k)) env[k] = v;
    Object.assign(env, {
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_ASKPASS: ASKPASS,
      DESIGNER_GIT_USERNAME: username ?? 'x-access-token',
      DESIGNER_GIT_TOKEN: token ?? '',
      LC_ALL: 'C',
    });
    return simpleGit({
      baseDir: dir,
      maxConcurrentProcesses: 1,
      timeout: { block: 120_000 },
      // No credential helper may store the token. (Work trees are created fresh, so they hold no hooks.)
      // (ext:: is refused by remoteProblem and is git's default 'never' anyway.)
      config: ['credential.helper=', 'commit.gpgsign=false', 'init.defaultBranch=main'],
      // Both point at values fixed here: the helper list is *cleared*, and GIT_ASKPASS is our own script.
      // Every other unsafe option (upload-pack, protocol overrides, hooks…) stays blocked by simple-git.
      unsafe: { allowUnsafeCredentialHelper: true, allowUnsafeAskPass: true },
    }).env(env);
  }

  private fail(error: unknown, token: string | undefined, remote: string): never {
    throw gitError(error instanceof Error ? error.message : String(error), token, remote);
  }

  /** A fresh work tree holding the remote branch (if it exists) with the project's files on top, staged. */
  private async prepare(
    project: ProjectFile,
    root: string,
    target: GitTarget,
  ): Promise<{ git: SimpleGit; dir: string; token?: string; base: string | null }> {
    this.validate(target);
    const token = this.tokenFor(project.id, target);
    const dir = path.join(this.workDir, project.id);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { recursive: true });
    const git = this.git(dir, token, target.username);
    let base: string | null = null;
    try {
      await git.init(['--initial-branch', target.branch]);
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
    // so a deleted component disappears from the branch. Anything else on the branch (docs, CI, notes) stays.
    await fs.rm(path.join(dir, 'src', project.package_name), { recursive: true, force: true });
    for (const file of await handOverFiles(project, root)) {
      await fs.mkdir(path.dirname(path.join(dir, file.name)), { recursive: true });
      await fs.writeFile(path.join(dir, file.name), file.data);
    }
    await git.add(['-A']);
    return { git, dir, token, base };
  }

  /** A shallow clone of a branch (default: the remote's default) into `target`, for import. */
  async cloneInto(
    source: { remote: string; branch?: string; token?: string; username?: string },
    target: string,
  ): Promise<void> {
    const r = remoteProblem(source.remote);
    if (r) throw new AppError(400, 'invalid_remote', `The remote ${r}.`);
    if (source.branch !== undefined && branchProblem(source.branch))
      throw new AppError(
        400,
        'invalid_branch',
        `"${source.branch.slice(0, 100)}" is not a valid branch name.`,
      );
    await fs.mkdir(path.dirname(target), { recursive: true });
    const git = this.git(path.dirname(target), source.token, source.username);
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
  ): Promise<{ base: string | null; files: GitChange[]; diff: string; truncated: boolean }> {
    const { git, token, base } = await this.prepare(project, root, target);
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
  ): Promise<{ commit: string | null; branch: string; files: GitChange[]; created: boolean }> {
    const { git, token, base } = await this.prepare(project, root, target);
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

/** git's failure, told in the user's terms, with the token removed from every word of it. */
export function gitError(message: string, token: string | undefined, remote: string): AppError {
  const text = redact(message, [token]);
  if (
    /Authentication failed|could not read Username|403|401|Permission denied|terminal prompts disabled/i.test(
      text,
    )
  ) {
    return new AppError(
      401,
      'git_auth_failed',
      `The remote refused the credentials for ${remote}.`,
      'Check the token (it needs write access to the repository) and try again.',
    );
  }
  if (/non-fast-forward|fetch first|rejected/i.test(text)) {
    return new AppError(
      409,
      'push_rejected',
      'The remote branch moved on since the diff was made, so the push was refused.',
      'Show the diff again (it is recomputed on top of the new remote head) and push again. Nothing was overwritten.',
    );
  }
  if (
    /Could not resolve host|Connection refused|unable to access|does not appear to be a git repository|not found/i.test(
      text,
    )
  ) {
    return new AppError(
      502,
      'git_remote_unreachable',
      `The remote ${remote} cannot be reached: ${text.split('\n').filter(Boolean).slice(-1)[0] ?? ''}`,
      'Check the URL and that the repository exists.',
    );
  }
  return new AppError(
    502,
    'git_failed',
    `git failed: ${text.split('\n').filter(Boolean).slice(-2).join(' ')}`,
  );
}
