// What a git target may be: a remote git cannot be made to run anything with, a branch name by git's rules, and
// texts (token, user, message, author) that reach git as one argument each. Also how a token is bound to a remote.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { GitTarget } from '@designer/shared';
import { AppError } from '../../errors.js';

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
export function textProblem(value: string | undefined, multiline: boolean): string | null {
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

/** Refuses (400) a target whose texts, remote or branch could not reach git safely. */
export async function validateTarget(
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
