import { describe, expect, it } from 'vitest';
import { branchProblem, gitBranchProblem, normaliseRemote, remoteProblem } from './target.js';
import { gitError } from './errors.js';

describe('remoteProblem', () => {
  it.each([
    ['https://github.com/acme/pipelines.git', null],
    ['http://127.0.0.1:8080/repo.git', null],
    ['ssh://git@host/acme/repo.git', null],
    ['git@github.com:acme/repo.git', null],
    ['/srv/git/repo.git', null],
    ['file:///srv/git/repo.git', null],
    ['--upload-pack=touch /tmp/pwned', 'start with "-"'],
    ['-oProxyCommand=x', 'start with "-"'],
    ['ext::sh -c touch% /tmp/pwned', 'spaces'],
    ['ext::sh', 'transport helper'],
    ['fd::17', 'transport helper'],
    ['https://user:secret@github.com/acme/repo.git', 'credentials'],
    ['https://token@github.com/acme/repo.git', 'credentials'],
    ['gopher://example/x', 'unsupported scheme'],
    ['relative/path', 'must be'],
    ['https://example.com/repo.git\nextra', 'spaces'],
  ])('%s', (remote, expected) => {
    const problem = remoteProblem(remote);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toContain(expected);
  });
});

describe('branchProblem', () => {
  it.each([
    ['main', true],
    ['designer/sales-v2', true],
    ['release_1.2', true],
    ['-f', false],
    ['--force', false],
    ['a..b', false],
    ['a//b', false],
    ['refs@{1}', false],
    ['x.lock', false],
    ['trailing/', false],
    ['has space', false],
    ['', false],
  ])('%s → %s', (branch, ok) => expect(branchProblem(branch) === null).toBe(ok));
});

describe('gitError', () => {
  const token = 'tok_SECRET_123456';
  it.each([
    [
      `remote: Invalid username or password.\nfatal: Authentication failed for 'https://x/y.git/'`,
      401,
      'git_auth_failed',
    ],
    [
      ` ! [rejected]        HEAD -> main (non-fast-forward)\nerror: failed to push some refs to '/srv/x.git'`,
      409,
      'push_rejected',
    ],
    [
      `fatal: unable to access 'https://nope.invalid/x.git/': Could not resolve host: nope.invalid`,
      502,
      'git_remote_unreachable',
    ],
    [`fatal: something odd happened with ${token}`, 502, 'git_failed'],
  ])('%s', (message, status, code) => {
    const error = gitError(message, token, 'https://x/y.git');
    expect(error.statusCode).toBe(status);
    expect(error.code).toBe(code);
    expect(`${error.message} ${error.hint ?? ''}`).not.toContain(token);
  });
});

describe('remotes that could reach ssh as an option, and ports', () => {
  it.each([
    ['ssh://-oProxyCommand=x/repo.git', 'starting with "-"'],
    ['ssh://-oX@host/repo.git', 'starting with "-"'],
    ['git@-oProxyCommand:repo.git', 'starting with "-"'],
    ['ssh://host:-p/repo.git', 'not a valid URL'],
    ['ssh://host:22x/repo.git', 'not a valid URL'],
    ['file://server/x.git', 'file:///'],
    ['ssh://git@host:2222/repo.git', null],
    ['http://[::1]:8080/repo.git', null],
  ])('%s', (remote, expected) => {
    const problem = remoteProblem(remote);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toContain(expected);
  });
});

describe("branch names by git's own rules", () => {
  it.each([
    ['main', null],
    ['designer/sales', null],
    ['HEAD', 'current commit'],
    ['.hidden', "git's rules"],
    ['a/.b', "git's rules"],
    ['x.lock/y', 'not a valid branch name'],
    ['-x', 'not a valid branch name'],
  ])('%s', async (branch, expected) => {
    const problem = await gitBranchProblem(branch);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toContain(expected);
  });
});

describe('normaliseRemote (what a token is bound to)', () => {
  it.each([
    ['HTTPS://GitHub.com/acme/x.git', 'https://github.com/acme/x.git'],
    ['https://github.com:443/acme/x.git/', 'https://github.com/acme/x.git'],
    ['http://127.0.0.1:8080/x.git', 'http://127.0.0.1:8080/x.git'],
    ['git@github.com:acme/x.git', 'git@github.com:acme/x.git'],
    ['/srv/git/x.git/', '/srv/git/x.git'],
  ])('%s → %s', (remote, bound) => expect(normaliseRemote(remote)).toBe(bound));

  it('keeps remotes on other hosts, ports and paths apart', () => {
    const a = normaliseRemote('https://github.com/acme/x.git');
    for (const other of [
      'https://github.com.evil.example/acme/x.git',
      'https://github.com:8443/acme/x.git',
      'http://github.com/acme/x.git',
      'https://github.com/acme/y.git',
    ])
      expect(normaliseRemote(other)).not.toBe(a);
  });
});
