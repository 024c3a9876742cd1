// The project component schedule nodes use (`<pkg>.components.scheduled_job.ScheduledJobComponent`, template in
// server/templates): added once, the first time a project has a schedule node; never overwritten, so a user's
// edits to it stay. Pure dagster, so no library to install.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../config.js';
import { writeFileInside } from './atomic-file.js';
import { mkdirInside } from '../lib/safe-path.js';

const TEMPLATE = path.join(REPO_ROOT, 'server', 'templates', 'scheduled_job.py');

/** Writes `src/<pkg>/components/{__init__,scheduled_job}.py` where missing; answers the workspace-relative files written. */
export async function ensureScheduledJobComponent(root: string, packageName: string): Promise<string[]> {
  const dir = path.join(root, 'src', packageName, 'components');
  const written: string[] = [];
  const files: Array<[string, () => Promise<string>]> = [
    ['__init__.py', () => Promise.resolve('')],
    ['scheduled_job.py', () => fs.readFile(TEMPLATE, 'utf8')],
  ];
  for (const [name, text] of files) {
    const file = path.join(dir, name);
    if (existsSync(file)) continue;
    await mkdirInside(root, dir);
    await writeFileInside(root, file, await text());
    written.push(path.relative(root, file));
  }
  return written;
}
