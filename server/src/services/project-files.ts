// The files of a project's workspace as the Files tab shows them: each with the node whose defs.yaml it is (those
// are written only through the graph), and a write of a file the user owns, told to History and to the instance.
import path from 'node:path';
import { nodeLocation, type GraphNode, type ProjectFile, type WrittenFile } from '@designer/shared';
import { AppError } from '../errors.js';
import type { ProjectHistory } from './history/store.js';
import type { SyncService } from './sync/service.js';
import { defsDirOf } from './sync/state.js';
import { listFiles, writeTextFile } from './workspace-files.js';

/** The defs.yaml of each node the designer manages, by workspace-relative path → node id. */
function managedFiles(
  project: { package_name: string; graph: { nodes: GraphNode[] } },
  root: string,
): Map<string, string> {
  const defs = path.relative(root, defsDirOf(root, project.package_name)).split(path.sep).join('/');
  // A defs.yaml holding several components is managed too (by its first node); Python definitions are the user's.
  const managed = new Map<string, string>();
  for (const n of project.graph.nodes) {
    const file = `${defs}/${nodeLocation(n).path}`;
    if (n.type !== 'python' && !managed.has(file)) managed.set(file, n.id);
  }
  return managed;
}

/** The workspace's files (no venv, caches or secrets), a managed defs.yaml with the node that writes it. */
export async function listProjectFiles(project: ProjectFile, root: string) {
  const managed = managedFiles(project, root);
  return (await listFiles(root)).map((f) =>
    managed.has(f.path) ? { ...f, managedBy: managed.get(f.path)! } : f,
  );
}

/** Creates or replaces a file the user owns (409 for a node's defs.yaml, or when `ifMatch` is stale). */
export async function writeOwnedFile(
  { history, sync }: { history?: ProjectHistory; sync: Pick<SyncService, 'onChanged'> },
  project: ProjectFile,
  root: string,
  relative: string,
  content: string,
  ifMatch: string | undefined,
): Promise<WrittenFile> {
  const owner = managedFiles(project, root).get(relative);
  if (owner) {
    const node = project.graph.nodes.find((n) => n.id === owner)!;
    throw new AppError(
      409,
      'managed_file',
      `${relative} is written by the designer from the node "${node.data.label}".`,
      "Edit it in the node's Advanced YAML view: it round-trips with the form.",
      { nodeId: owner },
    );
  }
  const written = await writeTextFile(root, relative, content, ifMatch);
  history?.fileEdited(project, relative);
  // Code under src/ is what Dagster loads: a running instance reloads its code location.
  if (relative.startsWith('src/')) sync.onChanged(project.id);
  return written;
}
