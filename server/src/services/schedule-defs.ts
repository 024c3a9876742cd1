// The project components schedule nodes use (`<pkg>.components.scheduled_job.ScheduledJobComponent` and
// `<pkg>.components.asset_sensor_job.AssetSensorJobComponent`, templates in server/templates): added once, the first
// time a project has a schedule or asset sensor node; never overwritten, so a user's edits to them stay. Pure
// dagster, so no library to install.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../config.js';
import { writeFileInside } from './atomic-file.js';
import { mkdirInside } from '../lib/safe-path.js';

const template = (name: string) => fs.readFile(path.join(REPO_ROOT, 'server', 'templates', name), 'utf8');

/**
 * Writes `src/<pkg>/components/{__init__,scheduled_job,asset_sensor_job}.py` where missing (both components at once:
 * sync calls this for any node of `type: "schedule"`); answers the workspace-relative files written.
 */
export async function ensureScheduledJobComponent(root: string, packageName: string): Promise<string[]> {
  const dir = path.join(root, 'src', packageName, 'components');
  const written: string[] = [];
  const files: Array<[string, () => Promise<string>]> = [
    ['__init__.py', () => Promise.resolve('')],
    ['scheduled_job.py', () => template('scheduled_job.py')],
    ['asset_sensor_job.py', () => template('asset_sensor_job.py')],
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
