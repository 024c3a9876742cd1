// A simple-git client for one command against a remote: an allowlisted environment, no prompts, no credential
// store, the token handed to git only through our GIT_ASKPASS script.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleGit, type SimpleGit } from 'simple-git';

const ASKPASS = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'bin',
  'git-askpass.mjs',
);
const GIT_ENV_ALLOWED =
  /^(PATH|HOME|USER|LOGNAME|LANG|LC_[A-Z]+|TZ|TMPDIR|SSH_AUTH_SOCK|SSL_CERT_(FILE|DIR)|(HTTPS?|NO|ALL)_PROXY|(https?|no|all)_proxy)$/;

/** A client working in `dir`, answering a remote's challenge with `token` (as `username`) when there is one. */
export function gitClient(dir: string, token: string | undefined, username: string | undefined): SimpleGit {
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
