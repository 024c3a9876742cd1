// Containment checks for every path that comes from a request.
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.js';

/** Joins `relative` under `root` and refuses anything that escapes it (before and after resolving links). */
export async function resolveInside(root: string, relative: string): Promise<string> {
  if (relative.includes('\0') || path.isAbsolute(relative)) {
    throw new AppError(400, 'invalid_path', `"${relative}" is not a path inside the project.`);
  }
  const realRoot = await fs.realpath(root);
  const joined = path.resolve(realRoot, relative);
  if (!isWithin(realRoot, joined)) {
    throw new AppError(
      400,
      'invalid_path',
      `"${relative}" points outside the project.`,
      'Use a path relative to the project folder, without "..".',
    );
  }
  let real = joined;
  try {
    real = await fs.realpath(joined);
  } catch {
    // A path that does not exist yet is checked through its nearest existing parent.
    let parent = path.dirname(joined);
    while (parent !== realRoot && parent.length > realRoot.length) {
      try {
        real = path.join(await fs.realpath(parent), path.relative(parent, joined));
        break;
      } catch {
        parent = path.dirname(parent);
      }
    }
  }
  if (!isWithin(realRoot, real)) {
    throw new AppError(400, 'invalid_path', `"${relative}" leads outside the project through a link.`);
  }
  return real;
}

export function isWithin(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
