// Local git in a pull's throw-away repository only: no remote, no token, no shell, no user configuration. Reads
// trees and blobs, merges three texts (git merge-file) and diffs two (git diff --no-index).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';

const MAX_DIFF = 64 * 1024;

/** A file's bytes and mode as a pull handles them. */
export interface Blob {
  data: Buffer;
  mode: number;
}
export type Tree = Map<string, Blob | undefined>;

const ENV_ALLOWED = /^(PATH|HOME|USER|LOGNAME|LANG|TZ|TMPDIR)$/;
function localEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && ENV_ALLOWED.test(k)) env[k] = v;
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
  };
}

/** git with an argument array; answers stdout and the exit code (merge-file and diff use it as an answer). */
export function gitLocal(cwd: string, args: string[]): Promise<{ stdout: Buffer; code: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, env: localEnv(), encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, code: 0 });
        const code = typeof error.code === 'number' ? error.code : -1;
        if (code > 0 && code < 128 && (args[0] === 'merge-file' || args[0] === 'diff'))
          return resolve({ stdout, code });
        reject(
          new AppError(502, 'git_failed', `git ${args[0]} failed: ${String(stderr).trim().slice(-300)}`),
        );
      },
    );
  });
}

export const isText = (b: Buffer | undefined) => b === undefined || !b.subarray(0, 8000).includes(0);

/** The git object id a blob would have, to skip reading what is the same on both sides. */
export function blobId(data: Buffer, length: number): string {
  return createHash(length === 64 ? 'sha256' : 'sha1')
    .update(`blob ${data.length}\0`)
    .update(data)
    .digest('hex');
}

export async function blob(dir: string, id: string, mode: number): Promise<Blob> {
  return { data: (await gitLocal(dir, ['cat-file', 'blob', id])).stdout, mode };
}

/** git merge-file of three texts: the merged text and whether it holds conflicts. */
export async function mergeFile(dir: string, mine: Buffer, base: Buffer, theirs: Buffer) {
  const at = await fs.mkdtemp(path.join(dir, 'merge-'));
  const files = ['mine', 'base', 'theirs'].map((n) => path.join(at, n));
  await Promise.all([mine, base, theirs].map((data, i) => fs.writeFile(files[i]!, data)));
  const { stdout, code } = await gitLocal(dir, [
    'merge-file',
    '-p',
    '-L',
    'mine',
    '-L',
    'base',
    '-L',
    'theirs',
    ...files,
  ]);
  await fs.rm(at, { recursive: true, force: true });
  return { text: stdout, conflicts: code > 0 };
}

/** A unified diff of one file, `a/<path>` → `b/<path>`, made by git diff --no-index. */
export async function fileDiff(dir: string, rel: string, from?: Buffer, to?: Buffer): Promise<string> {
  if (!isText(from) || !isText(to)) return `Binary file ${rel} differs\n`;
  const at = await fs.mkdtemp(path.join(dir, 'diff-'));
  const a = path.join(at, 'a');
  const b = path.join(at, 'b');
  await fs.writeFile(a, from ?? '');
  await fs.writeFile(b, to ?? '');
  const { stdout } = await gitLocal(at, ['diff', '--no-index', '--no-color', '--', 'a', 'b']);
  await fs.rm(at, { recursive: true, force: true });
  const lines = stdout.toString('utf8').split('\n');
  const body = lines.slice(lines.findIndex((l) => l.startsWith('@@')));
  const text = [
    `--- ${from ? `a/${rel}` : '/dev/null'}`,
    `+++ ${to ? `b/${rel}` : '/dev/null'}`,
    ...body,
  ].join('\n');
  return text.length > MAX_DIFF ? `${text.slice(0, MAX_DIFF)}\n… (diff cut)\n` : text;
}

// ---- the base
