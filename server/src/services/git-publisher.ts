// The only place that runs git: diff the generated project against a remote branch, commit, push.
// Tokens reach git through GIT_ASKPASS for that one command; they are never written to a URL,
// .git/config, a credential store, a log, an error message or a commit.
import { execFile } from 'node:child_process';
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { GitChange, GitTarget, ProjectFile } from '@designer/shared';
import { AppError, redact } from '../errors.js';
import { realPathInside } from '../lib/safe-path.js';
import { writeFileInside } from './atomic-file.js';
import { isHiddenPath } from './workspace-files.js';
import { handOverFiles } from './zip-writer.js';

const ASKPASS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'git-askpass.mjs');
const MAX_DIFF = 256 * 1024;
const GIT_ENV_ALLOWED =
  /^(PATH|HOME|USER|LOGNAME|LANG|LC_[A-Z]+|TZ|TMPDIR|SSH_AUTH_SOCK|SSL_CERT_(FILE|DIR)|(HTTPS?|NO|ALL)_PROXY|(https?|no|all)_proxy)$/;
const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock(\/|$))[A-Za-z0-9._/-]{1,200}(?<![/.])$/;

/** Why the user, host or port of a URL's authority could reach ssh as an option (or is not one), or null. */
function authorityProblem(scheme: string, authority: string): string | null {
  const at = authority.lastIndexOf('@');
  const user = at === -1 ? '' : authority.slice(0, at);
  const hostPort = authority.slice(at + 1);
  const host = hostPort.startsWith('[')
    ? hostPort.slice(0, hostPort.indexOf(']') + 1)
    : hostPort.split(':')[0]!;
  const port = hostPort.slice(host.length + 1);
  if (scheme === 'file') return host === '' || host === 'localhost' ? null : 'must be a local file:/// URL';
  if (host === '') return 'has no host name';
  if (host.startsWith('-') || user.startsWith('-'))
    return 'has a host or user name starting with "-", which ssh would read as an option';
  if (port !== '' && !/^\d{1,5}$/.test(port)) return 'has a port that is not a number';
  return null;
}

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
    return authorityProblem(scheme, url[2]!.split('/')[0]!);
  }
  const scp = /^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):[^:]/.exec(remote);
  if (scp) return authorityProblem('ssh', `${scp[1]}@${scp[2]}`);
  if (path.isAbsolute(remote)) return null;
  return 'must be an https://, ssh:// or git@host:path URL, or an absolute path to a repository';
}

export function branchProblem(branch: string): string | null {
  if (branch === 'HEAD') return 'is the name git keeps for the current commit, not a branch';
  return BRANCH.test(branch) ? null : 'is not a valid branch name';
}

const run = promisify(execFile);

/** git's own rules for a branch name (`git check-ref-format --branch`), after our stricter character set. */
export async function gitBranchProblem(branch: string): Promise<string | null> {
  const quick = branchProblem(branch);
  if (quick) return quick;
  try {
    // Outside any repository (cwd /), with an argument array: the name is data, never an option.
    await run('git', ['check-ref-format', '--branch', branch], { cwd: '/', timeout: 10_000 });
    return null;
  } catch {
    return 'is not a valid branch name by git\'s rules (no part may start with "." or end with ".lock", no "..", "@{", "HEAD")';
  }
}

/** Text that reaches git as an argument or through the environment: no NUL, and one line unless `multiline`. */
function textProblem(value: string | undefined, multiline: boolean): string | null {
  if (value === undefined) return null;
  if (value.includes('\u0000')) return 'contains a NUL character';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
  const control = multiline ? /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/ : /[\u0001-\u001f\u007f]/;
  return control.test(value) ? 'contains control characters' : null;
}

/** A remote as a token is bound to it: scheme and host lowercased, default port and trailing slashes dropped. */
export function normaliseRemote(remote: string): string {
  try {
    const url = new URL(remote);
    if (url.protocol === 'http:' || url.protocol === 'https:')
      return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}${url.search}`;
  } catch {
    // scp-like or a path: compared as written
  }
  return remote.replace(/\/+$/, '');
}

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

  private async validate(
    target: GitTarget & { message?: string; authorName?: string; authorEmail?: string },
  ): Promise<void> {
    const texts: Array<[string, string | undefined, boolean, string]> = [
      ['token', target.token, false, 'Paste the token alone, without spaces or line breaks.'],
      ['user name', target.username, false, 'Use a single-line user name.'],
      ['commit message', target.message, true, 'Remove the NUL and control characters from the message.'],
      ['author name', target.authorName, false, 'Use a single-line name.'],
      ['author email', target.authorEmail, false, 'Use a single-line email address.'],
    ];
    for (const [what, value, multiline, hint] of texts) {
      const problem = textProblem(value, multiline);
      if (problem)
        throw new AppError(400, `invalid_${what.replace(' ', '_')}`, `The ${what} ${problem}.`, hint);
    }
    const r = remoteProblem(target.remote);
    if (r)
      throw new AppError(
        400,
        'invalid_remote',
        `The remote ${r}.`,
        'Example: https://github.com/acme/pipelines.git',
      );
    const b = await gitBranchProblem(target.branch);
    if (b)
      throw new AppError(
        400,
        'invalid_branch',
        `"${target.branch.slice(0, 100)}" ${b}.`,
        'Use letters, digits, "-", "_", "." and "/", e.g. designer/sales.',
      );
  }

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
      // With a token, no redirect is followed: git would answer the new host's challenge with it.
      config: [
        'credential.helper=',
        'commit.gpgsign=false',
        'init.defaultBranch=main',
        // Files go in as their bytes: no line-ending conversion whatever the user's global git config says.
        'core.autocrlf=false',
        ...(token ? ['http.followRedirects=false'] : []),
      ],
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
    extra: readonly ExtraFile[] = [],
  ): Promise<{ git: SimpleGit; dir: string; token?: string; base: string | null }> {
    await this.validate(target);
    const token = this.tokenFor(project.id, target);
    const dir = path.join(this.workDir, project.id);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { recursive: true });
    const git = this.git(dir, token, target.username);
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
   * the branch is missing); git-pull.ts reads that repository with local commands only (no remote, no token).
   */
  async fetchBranch(projectId: string, target: GitTarget, dir: string): Promise<{ head: string | null }> {
    await this.validate(target);
    const token = this.tokenFor(projectId, target);
    const git = this.git(dir, token, target.username);
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
