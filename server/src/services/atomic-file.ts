// Crash-safe file writes: temp file in the same folder, fsync, rename, fsync the folder. Temp files carry a
// name no user file has (`.<name>.<12 hex>.designer.tmp`), so listings skip them and start-up sweeps them.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { mkdirInside, realPathInside } from '../lib/safe-path.js';

/** A temp file of ours (also the `.tmp` names of earlier versions, which a crash may have left). */
export const TEMP_FILE = /^\..+\.[0-9a-f]{12}(\.designer)?\.tmp$/;
export const isTempFile = (name: string) => TEMP_FILE.test(name);

export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.designer.tmp`);
  const handle = await fs.open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  const dirHandle = await fs.open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

/**
 * Every write the server makes in a workspace: the folder is created and the file written only where they stay
 * inside `root` once links are resolved (400 `link_outside_project` otherwise).
 */
export async function writeFileInside(
  root: string,
  file: string,
  data: string | Uint8Array,
  mode = 0o644,
): Promise<string> {
  await mkdirInside(root, path.dirname(file));
  const real = await realPathInside(root, file);
  await writeFileAtomic(real, data, mode);
  return real;
}

/** Folders never walked when sweeping: environments and Git data hold no temp file of ours. */
const SWEEP_SKIP = new Set(['.venv', '.git', 'node_modules', '__pycache__']);

/** Removes the temp files a crash left under `root` (links are not followed); answers how many went. */
export async function sweepTempFiles(root: string): Promise<number> {
  let removed = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return; // gone meanwhile, or not readable: nothing of ours
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !SWEEP_SKIP.has(entry.name)) await walk(full);
      else if (entry.isFile() && isTempFile(entry.name)) {
        await fs.rm(full, { force: true });
        removed += 1;
      }
    }
  };
  await walk(root);
  return removed;
}

/** Runs tasks one after another per key (saves of one project never interleave). */
export class KeyedQueue {
  private tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
