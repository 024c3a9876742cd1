// A project instance's DAGSTER_HOME inside its workspace: the dagster.yaml the designer writes and the run
// launcher module every process of the instance imports.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pythonScript } from '../config.js';
import { writeFileAtomic } from './atomic-file.js';
import { isDagsterGroup, stopGroupOf } from './process-groups.js';

export const DAGSTER_HOME_DIR = '.dagster_home';

// Runs start at once (no queue to wait on), each in a run worker forked from a warm process (see
// server/python/designer_run_launcher.py), and nothing is reported home.
const INSTANCE_YAML = `run_coordinator:
  module: dagster.core.run_coordinator
  class: DefaultRunCoordinator
run_launcher:
  module: designer_run_launcher
  class: ForkedRunLauncher
telemetry:
  enabled: false
`;
/** What earlier designers wrote: replaced by the current one (a file the user changed is left alone). */
const EARLIER_INSTANCE_YAML = [
  `run_coordinator:
  module: dagster.core.run_coordinator
  class: DefaultRunCoordinator
telemetry:
  enabled: false
`,
];
const LAUNCHER = 'designer_run_launcher.py';
/** Where the launcher module goes inside DAGSTER_HOME (on PYTHONPATH of every process of the instance). */
const LAUNCHER_DIR = 'designer_python';

/** The environment a process using the instance's DAGSTER_HOME needs (the run launcher's module). */
export function instanceEnv(root: string, env: Record<string, string> = {}): Record<string, string> {
  const ours = path.join(root, DAGSTER_HOME_DIR, LAUNCHER_DIR);
  return { PYTHONPATH: env.PYTHONPATH ? `${ours}${path.delimiter}${env.PYTHONPATH}` : ours };
}

/** Writes dagster.yaml (unless the user changed it) and the run launcher module into DAGSTER_HOME. */
export async function prepareHome(home: string): Promise<void> {
  await fs.mkdir(path.join(home, LAUNCHER_DIR), { recursive: true });
  const yamlFile = path.join(home, 'dagster.yaml');
  const current = existsSync(yamlFile) ? await fs.readFile(yamlFile, 'utf8') : null;
  if (current === null || EARLIER_INSTANCE_YAML.includes(current))
    await writeFileAtomic(yamlFile, INSTANCE_YAML);
  const launcher = await fs.readFile(pythonScript(LAUNCHER), 'utf8');
  const target = path.join(home, LAUNCHER_DIR, LAUNCHER);
  if (!existsSync(target) || (await fs.readFile(target, 'utf8')) !== launcher)
    await writeFileAtomic(target, launcher);
}

/** Where a running instance records its process group, so a designer that crashed can be cleaned up after. */
export const PID_FILE = 'designer-instance.json';

/**
 * At start-up: instances a designer that crashed left running (a pid file of another session in a
 * workspace's DAGSTER_HOME) are stopped, once their process group is checked to be a dg/dagster one
 * running in that workspace. Answers the process groups stopped.
 */
export async function stopLeftoverInstances(dataDir: string, session: string): Promise<number[]> {
  const stopped: number[] = [];
  let names: string[];
  try {
    names = await fs.readdir(dataDir);
  } catch {
    return stopped;
  }
  for (const name of names) {
    const root = path.join(dataDir, name);
    const file = path.join(root, DAGSTER_HOME_DIR, PID_FILE);
    let record: { pid?: unknown; session?: unknown };
    try {
      record = JSON.parse(await fs.readFile(file, 'utf8')) as typeof record;
    } catch {
      continue;
    }
    if (record.session === session) continue;
    const pgid = typeof record.pid === 'number' && Number.isInteger(record.pid) ? record.pid : 0;
    if (pgid > 1 && isDagsterGroup(pgid, root)) {
      await stopGroupOf(pgid);
      stopped.push(pgid);
    }
    await fs.rm(file, { force: true });
  }
  return stopped;
}
