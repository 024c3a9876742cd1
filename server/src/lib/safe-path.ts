// Containment: the one check every write the server makes in a workspace goes through (resolve links, then
// check the root), and the checks for paths that come from a request.
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathProblem } from '@designer/shared';
import { AppError } from '../errors.js';

/** Refuses a `/`-separated relative path from a request that breaks the shared path rule (400). */
export function checkRelativePath(relative: string, what = 'path'): void {
  const problem = pathProblem(relative);
  if (problem)
    throw new AppError(
      400,
      'invalid_path',
      `The ${what} "${printable(relative)}" ${problem}.`,
      'Use a path relative to the project folder with "/" between names, without "..", "\\", ":" or control characters.',
    );
}

/** Joins `relative` under `root` and refuses anything that escapes it (before and after resolving links). */
export async function resolveInside(root: string, relative: string): Promise<string> {
  if (path.isAbsolute(relative))
    throw new AppError(400, 'invalid_path', `"${printable(relative)}" is not a path inside the project.`);
  checkRelativePath(relative);
  return realPathInside(root, path.join(root, relative));
}

/**
 * The containment primitive: `target` (absolute, existing or not) with every link on its way resolved, refused
 * unless it stays inside `root` (itself resolved; 400 `link_outside_project` otherwise). A dangling link is refused too: where it would lead is not
 * known. Returns the real path, which is what the caller then writes.
 */
export async function realPathInside(root: string, target: string): Promise<string> {
  const realRoot = await fs.realpath(root);
  const absolute = path.resolve(target);
  const joined = isWithin(realRoot, absolute)
    ? absolute
    : path.resolve(realRoot, path.relative(root, absolute));
  if (!isWithin(realRoot, joined)) throw outside(root, target, false);
  // The nearest existing ancestor is resolved; the rest of the path does not exist yet, so holds no link.
  let existing = joined;
  let rest = '';
  for (;;) {
    try {
      const real = await fs.realpath(existing);
      const resolved = rest ? path.join(real, rest) : real;
      if (!isWithin(realRoot, resolved)) throw outside(root, target, true);
      return resolved;
    } catch (error) {
      if (error instanceof AppError) throw error;
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const link = await fs.lstat(existing).catch(() => null);
      if (link?.isSymbolicLink()) throw outside(root, target, true);
      if (existing === realRoot || path.dirname(existing) === existing) throw error;
      rest = rest ? path.join(path.basename(existing), rest) : path.basename(existing);
      existing = path.dirname(existing);
    }
  }
}

/** `fs.mkdir -p` of a folder that must stay inside `root` (a link on the way must not lead out). */
export async function mkdirInside(root: string, dir: string): Promise<string> {
  const real = await realPathInside(root, dir);
  await fs.mkdir(real, { recursive: true });
  return real;
}

/** Renames a file or folder inside `root`; neither end may lead out through a link. */
export async function renameInside(root: string, from: string, to: string): Promise<void> {
  const realFrom = path.join(await realPathInside(root, path.dirname(from)), path.basename(from));
  const source = await fs.lstat(realFrom);
  // A link itself may be moved (it is a name in a folder of ours); a real folder is moved only into the root.
  if (!source.isSymbolicLink()) await realPathInside(root, from);
  const realTo = await realPathInside(root, to);
  await fs.mkdir(path.dirname(realTo), { recursive: true });
  await fs.rename(realFrom, realTo);
}

export function isWithin(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function outside(root: string, target: string, throughLink: boolean): AppError {
  const shown = path.relative(root, target).split(path.sep).join('/') || '.';
  return throughLink
    ? new AppError(
        400,
        'link_outside_project',
        `${printable(shown)} leads outside the project through a link; the designer reads and writes only inside the project.`,
        'Replace the link with a real folder or file inside the project.',
      )
    : new AppError(
        400,
        'invalid_path',
        `"${printable(shown)}" points outside the project.`,
        'Use a path relative to the project folder, without "..".',
      );
}

/** A path for a message: control characters shown as escapes, at most 200 characters. */
export function printable(text: string): string {
  return JSON.stringify(text.slice(0, 200))
    .slice(1, -1)
    .replace(/[\u007f]/g, '\\u007f');
}

const SPECIAL_KIND = (s: { isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean }) =>
  s.isFIFO()
    ? 'a named pipe (FIFO)'
    : s.isSocket()
      ? 'a socket'
      : s.isBlockDevice()
        ? 'a device'
        : 'a device';

/**
 * After an import: removes from `root` every link that leads outside it (or nowhere) and every special file
 * (pipe, socket, device), and says what went. Links that stay inside the project are kept.
 */
export async function dropUnsafeEntries(root: string): Promise<string[]> {
  const realRoot = await fs.realpath(root);
  const dropped: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (entry.isSymbolicLink()) {
        const target = await fs.realpath(full).catch(() => null);
        if (target === null || !isWithin(realRoot, target)) {
          const text = await fs.readlink(full).catch(() => '?');
          await fs.rm(full, { force: true });
          dropped.push(
            `${printable(rel)} was left out: it is a link ${target === null ? 'that leads nowhere' : 'to outside the project'} (${printable(text)}).`,
          );
        }
      } else if (entry.isDirectory()) await walk(full);
      else if (!entry.isFile()) {
        const kind = SPECIAL_KIND(await fs.lstat(full));
        await fs.rm(full, { force: true });
        dropped.push(`${printable(rel)} was left out: it is ${kind}, not a file.`);
      }
    }
  };
  await walk(root);
  return dropped;
}

export const MAX_IMPORT_ENTRIES = 20_000;
export const MAX_IMPORT_BYTES = 500 * 1024 * 1024;

/**
 * Copies a folder tree without following links (each is copied as it is written, so `dropUnsafeEntries` judges
 * it where it lands) and without opening special files (a pipe would block the read forever). `keep` sees the
 * source-relative path. Answers what was left out.
 */
export async function copyTree(
  source: string,
  target: string,
  keep: (relative: string) => boolean,
): Promise<string[]> {
  const skipped: string[] = [];
  let entries = 0;
  let bytes = 0;
  const walk = async (from: string, to: string): Promise<void> => {
    await fs.mkdir(to, { recursive: true });
    for (const entry of await readable(() => fs.readdir(from, { withFileTypes: true }), source, from)) {
      const src = path.join(from, entry.name);
      const rel = path.relative(source, src);
      if (!keep(rel)) continue;
      if ((entries += 1) > MAX_IMPORT_ENTRIES)
        throw new AppError(
          413,
          'import_too_large',
          `The folder holds more than ${MAX_IMPORT_ENTRIES} files.`,
          'Import the folder of the Dagster project itself (the one with pyproject.toml), without data or build output.',
        );
      const dest = path.join(to, entry.name);
      if (entry.isSymbolicLink()) await fs.symlink(await fs.readlink(src), dest);
      else if (entry.isDirectory()) await walk(src, dest);
      else if (entry.isFile()) {
        const stat = await readable(() => fs.stat(src), source, src);
        if ((bytes += stat.size) > MAX_IMPORT_BYTES)
          throw new AppError(
            413,
            'import_too_large',
            'The folder holds more than 500 MiB of files.',
            'Import the folder of the Dagster project itself, without data or build output.',
          );
        await readable(() => fs.copyFile(src, dest), source, src);
      } else
        skipped.push(
          `${printable(rel.split(path.sep).join('/'))} was left out: it is ${SPECIAL_KIND(await fs.lstat(src))}, not a file.`,
        );
    }
  };
  await walk(source, target);
  return skipped;
}

async function readable<T>(task: () => Promise<T>, root: string, file: string): Promise<T> {
  try {
    return await task();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'ELOOP' || code === 'EIO')
      throw new AppError(
        400,
        'unreadable_file',
        `${printable(path.relative(root, file) || '.')} cannot be read (${code}).`,
        'Give your user read access to the whole project folder, or import a copy of it.',
      );
    throw error;
  }
}
