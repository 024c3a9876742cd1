import { describe, expect, it } from 'vitest';
import { branchProblem, gitError, remoteProblem } from './git-publisher.js';

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
