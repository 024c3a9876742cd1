// The hand-over ZIP: the runnable Dagster project (no venv, state, caches, logs or secrets), a README on
// how to run it, and the designer's project file to import it again. Deterministic: same project in,
// same bytes out (sorted entries, fixed dates and modes).
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
export function generatedReadme(project: ProjectFile, original: string | null): string {
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
  const text = parts.join('\n').replace(/\n{3,}/g, '\n\n');
  return original ? `${text}\n---\n\n${original}` : text;
}

/**
 * What leaves the designer, for a ZIP and a Git branch alike: the workspace's files (no venv, state,
 * caches or secrets) with the generated README in place of the original, sorted by path.
 */
export async function handOverFiles(
  project: ProjectFile,
  root: string,
): Promise<Array<{ name: string; data: Buffer | string }>> {
  const entries: Array<{ name: string; data: Buffer | string }> = [];
  let original: string | null = null;
  for (const file of await listFiles(root)) {
    const data = await fs.readFile(path.join(root, file.path));
    if (file.path === 'README.md') original = data.toString('utf8');
    else entries.push({ name: file.path, data });
  }
  entries.push({ name: 'README.md', data: generatedReadme(project, original) });
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
  entries.push({ name: PROJECT_FILE_NAME, data: `${JSON.stringify(project, null, 2)}\n` });
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
    archive.append(entry.data, { name: prefix + entry.name, date: FIXED_DATE, mode: 0o644 });
  }
  await archive.finalize();
  await done;
}
