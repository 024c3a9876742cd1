// The hand-over ZIP: the runnable Dagster project (no venv, state, caches, logs or secrets), byte for byte as
// the workspace holds it, a README on how to run it when the project has none, and the designer's project file
// to import it again. Deterministic: same project in, same bytes out (sorted entries, fixed dates and modes).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import archiver from 'archiver';
import { pathProblem, type ProjectFile } from '@designer/shared';
import { AppError } from '../errors.js';
import { printable } from '../lib/safe-path.js';
import { listFiles } from './workspace-files.js';

const FIXED_DATE = new Date('2000-01-01T00:00:00Z');
export const PROJECT_FILE_NAME = 'dagster-designer.project.json';

export function exportName(project: ProjectFile): string {
  return `${project.package_name}.zip`;
}

/** What the generated README says: how to run, which env vars to set (names only), what is inside. */
export function generatedReadme(project: ProjectFile): string {
  const env = (project.env ?? []).map(
    (e) => `- \`${e.name}\`${e.required ? ' (required)' : ''}${e.description ? `: ${e.description}` : ''}`,
  );
  const components = project.graph.nodes.map((n) => `- \`${n.data.label}\`: ${n.data.component_type}`);
  const parts = [
    `# ${project.name}`,
    '',
    project.description ?? '',
    '',
    'A Dagster project designed with Dagster Designer. To run it:',
    '',
    '```sh',
    'uv sync          # creates .venv with the pinned Dagster and libraries',
    'uv run dg dev    # the Dagster UI at http://127.0.0.1:3000',
    '```',
    '',
    '## Environment variables',
    '',
    env.length
      ? 'Set these in your environment or in a `.env` file next to `pyproject.toml` (never committed):\n'
      : 'None.',
    ...env,
    '',
    '## Components',
    '',
    ...components,
    '',
    `\`${PROJECT_FILE_NAME}\` is the designer's own file: import it into Dagster Designer to keep editing the canvas.`,
    '',
  ];
  return parts.join('\n').replace(/\n{3,}/g, '\n\n');
}

export interface HandOverFile {
  name: string;
  data: Buffer | string;
  /** 0o755 for a file any of whose execute bits is set in the workspace (a script run as `./x`), else 0o644. */
  mode: number;
}

/**
 * What leaves the designer, for a ZIP and a Git branch alike: the workspace's files (no venv, state, caches or
 * secrets) as they are, bytes and execute bit, sorted by path. A project's own README.md is the team's and
 * leaves untouched; only a project without one (the designer's new projects) gets the generated README.
 */
export async function handOverFiles(project: ProjectFile, root: string): Promise<HandOverFile[]> {
  const entries: HandOverFile[] = [];
  for (const file of await listFiles(root)) {
    const full = path.join(root, file.path);
    const executable = ((await fs.stat(full)).mode & 0o111) !== 0;
    entries.push({ name: file.path, data: await fs.readFile(full), mode: executable ? 0o755 : 0o644 });
  }
  if (!entries.some((e) => e.name === 'README.md'))
    entries.push({ name: 'README.md', data: generatedReadme(project), mode: 0o644 });
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}

/** Streams the ZIP of a synced workspace into `out`. */
export async function writeProjectZip(project: ProjectFile, root: string, out: Writable): Promise<void> {
  const archive = archiver('zip', { zlib: { level: 9 } });
  const done = new Promise<void>((resolve, reject) => {
    archive.on('error', reject);
    out.on('error', reject);
    out.on('close', resolve);
    out.on('finish', resolve);
  });
  const prefix = `${project.package_name}/`;
  const entries = await handOverFiles(project, root);
  entries.push({ name: PROJECT_FILE_NAME, data: `${JSON.stringify(project, null, 2)}\n`, mode: 0o644 });
  // Never an entry that could land outside the folder it is unpacked into (listFiles already skips such names).
  for (const entry of entries) {
    const problem = pathProblem(prefix + entry.name);
    if (problem)
      throw new AppError(
        500,
        'unsafe_zip_entry',
        `The export would hold the entry "${printable(entry.name)}", which ${problem}.`,
      );
  }
  archive.pipe(out);
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    archive.append(entry.data, { name: prefix + entry.name, date: FIXED_DATE, mode: entry.mode });
  }
  await archive.finalize();
  await done;
}
