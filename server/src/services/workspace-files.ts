// The generated project's files: a tree without environments, caches and secrets, the text of one file, and
// atomic writes guarded by a content hash. Every path from a request is resolved and checked to stay inside the
// workspace; environments, Git data, Dagster's home and secrets are never written.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.js';
import { pathProblem } from '@designer/shared';
import { checkRelativePath, printable, resolveInside } from '../lib/safe-path.js';
import { isTempFile, KeyedQueue, writeFileInside } from './atomic-file.js';

export const MAX_TEXT_FILE = 1024 * 1024;

/** Folders and files never shown, exported or pushed: environments, state, caches, logs, secrets. */
const HIDDEN_DIRS = new Set([
  '.venv',
  '.git',
  '__pycache__',
  '.designer',
  '.dg',
  'dagster_home',
  '.dagster_home',
  'DAGSTER_HOME',
  // Dagster's defs state (dbt's manifest…): it git-ignores the folder itself; a deployment refreshes it.
  '.local_defs_state',
  'target',
  'logs',
  'dbt_packages',
  '.pytest_cache',
  '.ruff_cache',
  '.mypy_cache',
  'node_modules',
]);
export const SECRET_FILE =
  /^(\.env(\..*)?|.*\.(pem|key|p12|pfx)|id_(rsa|ed25519|ecdsa)(\.pub)?|credentials(\.json)?|\.netrc|\.pgpass|.*secret.*)$/i;

export interface FileEntry {
  path: string;
  size: number;
}

export function isHiddenPath(relative: string): boolean {
  const parts = relative.split(/[\\/]/);
  return (
    parts.some((p) => HIDDEN_DIRS.has(p)) ||
    SECRET_FILE.test(parts[parts.length - 1] ?? '') ||
    /\.(duckdb|duckdb\.wal|pyc)$/.test(relative)
  );
}

export async function listFiles(root: string): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full);
      // Temp files of a write in progress (or left by a crash) and names no request could address stay out.
      if (isHiddenPath(rel) || entry.isSymbolicLink() || isTempFile(entry.name) || pathProblem(entry.name))
        continue;
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile())
        out.push({ path: rel.split(path.sep).join('/'), size: (await fs.stat(full)).size });
    }
  };
  await walk(root);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export async function readTextFile(root: string, relative: string): Promise<TextFile> {
  checkRequestPath(relative, 'shown');
  const file = await resolveInside(root, relative);
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new AppError(404, 'file_not_found', `No file ${relative} in the project.`);
  }
  if (!stat.isFile()) throw new AppError(400, 'not_a_file', `${relative} is not a file.`);
  if (stat.size > MAX_TEXT_FILE)
    throw new AppError(
      413,
      'file_too_large',
      `${relative} is larger than 1 MiB.`,
      'Open it in an editor outside the designer.',
    );
  const buffer = await fs.readFile(file);
  if (buffer.includes(0)) throw new AppError(415, 'binary_file', `${relative} is not a text file.`);
  return { path: relative, content: buffer.toString('utf8'), size: stat.size, hash: contentHash(buffer) };
}

export interface TextFile {
  path: string;
  content: string;
  size: number;
  /** sha256 of the bytes: the version a write must name in If-Match. */
  hash: string;
}

export const contentHash = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function checkRequestPath(relative: string, verb: string): void {
  checkRelativePath(relative);
  if (isHiddenPath(relative) || isTempFile(path.posix.basename(relative))) {
    throw new AppError(
      400,
      'invalid_path',
      `"${printable(relative)}" is not a project file that can be ${verb}.`,
      "Use a path from GET /api/projects/:id/files, relative to the project, outside .venv, .git and Dagster's home; env values go to the Environment panel.",
    );
  }
}

/**
 * Writes one text file atomically. An existing file is only replaced when `ifMatch` names its current hash
 * (another tab or tool changed it otherwise → 409 with the current hash); a new file is created with no If-Match.
 */
export async function writeTextFile(
  root: string,
  relative: string,
  content: string,
  ifMatch: string | undefined,
): Promise<Omit<TextFile, 'content'> & { created: boolean }> {
  checkRequestPath(relative, 'written');
  const bytes = Buffer.from(content, 'utf8');
  if (bytes.length > MAX_TEXT_FILE)
    throw new AppError(
      413,
      'file_too_large',
      `The new content of ${relative} is larger than 1 MiB.`,
      'Keep data out of code files: read it from a file or a database at run time.',
    );
  if (bytes.includes(0)) throw new AppError(415, 'binary_file', 'Only text files can be written.');
  const file = await resolveInside(root, relative);
  // Compare and write as one step per file: of concurrent writes naming the same hash, one wins, the rest get 409.
  return fileLocks.run(file, () => compareAndWrite(root, file, relative, bytes, ifMatch));
}

const fileLocks = new KeyedQueue();

async function compareAndWrite(
  root: string,
  file: string,
  relative: string,
  bytes: Buffer,
  ifMatch: string | undefined,
): Promise<Omit<TextFile, 'content'> & { created: boolean }> {
  let current: Buffer | null = null;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new AppError(400, 'not_a_file', `${relative} is not a file.`);
    current = await fs.readFile(file);
  } catch (error) {
    if (error instanceof AppError) throw error;
  }
  const expected = ifMatch?.replace(/^W\//, '').replace(/"/g, '').trim();
  if (current !== null) {
    const hash = contentHash(current);
    if (!expected)
      throw new AppError(
        428,
        'if_match_required',
        `${relative} exists: say which version you edited.`,
        'Send the hash from GET …/files/<path> in an If-Match header.',
      );
    if (expected !== '*' && expected !== hash)
      throw new AppError(
        409,
        'file_changed',
        `${relative} changed since you opened it.`,
        'Reload the file (your text is kept in the editor) and apply your change again.',
        { hash },
      );
  }
  const mode = current === null ? 0o644 : (await fs.stat(file)).mode & 0o777;
  await writeFileInside(root, file, bytes, mode);
  return { path: relative, size: bytes.length, hash: contentHash(bytes), created: current === null };
}
