// Which workspace files a history entry holds besides `project.json`: the project's text files as the Files tab
// lists them, each at most 256 KiB (the rule the README states).
import fs from 'node:fs/promises';
import path from 'node:path';
import { realPathInside } from '../../lib/safe-path.js';
import { listFiles } from '../workspace-files.js';

export const HISTORY_FILE = /\.(py|sql|ya?ml|toml|md|txt|cfg|ini|json|csv|jinja|j2|sh)$/i;
export const HISTORY_MAX_FILE = 256 * 1024;
/** The folder of an entry's tree that holds the workspace files. */
export const FILES = 'files';

/** Files the history keeps of a workspace (none before it has a `pyproject.toml`), by their real paths. */
export async function snapshotFiles(root: string): Promise<{ relative: string; absolute: string }[]> {
  const exists = await fs.stat(path.join(root, 'pyproject.toml')).then(
    () => true,
    () => false,
  );
  if (!exists) return [];
  const out: { relative: string; absolute: string }[] = [];
  for (const f of await listFiles(root)) {
    if (!HISTORY_FILE.test(f.path) || f.size > HISTORY_MAX_FILE || f.path === 'uv.lock') continue;
    // Listed without following links; the real path is checked again, so git reads nothing outside.
    const absolute = await realPathInside(root, path.join(root, f.path)).catch(() => null);
    if (absolute) out.push({ relative: f.path, absolute });
  }
  return out;
}
