// The generated project's files, read-only: a tree without environments, caches and secrets, and the
// text of one file. Every path from a request is resolved and checked to stay inside the workspace.
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.js';
import { resolveInside } from '../lib/safe-path.js';

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
      if (isHiddenPath(rel) || entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile())
        out.push({ path: rel.split(path.sep).join('/'), size: (await fs.stat(full)).size });
    }
  };
  await walk(root);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export async function readTextFile(
  root: string,
  relative: string,
): Promise<{ path: string; content: string; size: number }> {
  if (relative.split('/').some((p) => p === '..' || p.startsWith('-')) || isHiddenPath(relative)) {
    throw new AppError(
      400,
      'invalid_path',
      `"${relative.slice(0, 200)}" is not a project file that can be shown.`,
      'Pick a file from GET /api/projects/:id/files.',
    );
  }
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
  return { path: relative, content: buffer.toString('utf8'), size: stat.size };
}
