// Restoring a history entry: the old version becomes the current one as a new save, with the user's files it
// holds written back into the workspace, after what the workspace held is kept as an entry of its own.
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathProblem, type Graph, type ProjectFile } from '@designer/shared';
import { AppError } from '../../errors.js';
import { realPathInside } from '../../lib/safe-path.js';
import { writeFileInside } from '../atomic-file.js';
import { isHiddenPath } from '../workspace-files.js';
import { managedPaths, utc } from './entries.js';
import type { ProjectHistory } from './store.js';

/**
 * Makes an old version the current one as a new save: the project first (its version checked: stale → 409),
 * then the files the user owns that the version holds, written back where they differ (a node's defs.yaml is
 * not: sync writes it from the restored graph). What the workspace held before is kept as an entry first, so a
 * restore loses nothing, not even files edited by hand since the last save.
 */
export async function restoreVersion(
  history: ProjectHistory,
  store: {
    read(id: string): Promise<ProjectFile>;
    save(
      id: string,
      body: {
        version: number;
        graph: Graph;
        name?: string;
        env?: ProjectFile['env'];
        description?: string;
      },
    ): Promise<ProjectFile>;
  },
  id: string,
  commit: string,
  version: number,
  root: string | null,
): Promise<{ project: ProjectFile; files: string[] }> {
  const old = await history.version(id, commit);
  const current = await store.read(id);
  if (current.version !== version) {
    throw new AppError(
      409,
      'stale_version',
      `This project was saved elsewhere (version ${current.version}; you restored onto version ${version}).`,
      'Reload to get the latest version, then restore again.',
      { currentVersion: current.version },
    );
  }
  await history.flush(id);
  history.recorded(current, 'before-restore');
  history.note(id, `before restoring the version of ${utc(old.entry.at)}`);
  await history.flush(id);
  const project = await store.save(id, {
    version,
    graph: old.project.graph,
    name: old.project.name, // a rename since is undone too: the version is restored as it was
    env: old.project.env,
    description: old.project.description ?? '',
  });
  history.recorded(project, 'restore');
  history.note(id, `restored the version of ${utc(old.entry.at)} (${old.entry.summary})`.slice(0, 300));
  const written: string[] = [];
  if (root) {
    const managed = new Set([...managedPaths(project), ...managedPaths(current)]);
    for (const file of await history.filesAt(id, commit)) {
      if (managed.has(file.path) || pathProblem(file.path) || isHiddenPath(file.path)) continue;
      const target = path.join(root, file.path);
      const now = await fs.readFile(await realPathInside(root, target)).catch(() => null);
      if (now && now.equals(file.content)) continue;
      await writeFileInside(root, target, file.content);
      written.push(file.path);
    }
  }
  return { project, files: written };
}
