// The project's files as the Files tab, the code editor and the node panels see them: list, read, write.
import { api, type ProjectFileEntry } from '../api/client';

export type { ProjectFileEntry };

/** Every file of the project's Dagster folder (a node's defs.yaml says which node it belongs to). */
export function listFiles(projectId: string): Promise<ProjectFileEntry[]> {
  return api.listFiles(projectId);
}

/** One file's text and the hash of the version read (what a later write says it edited). */
export function readFile(projectId: string, path: string) {
  return api.readFile(projectId, path);
}

/** Writes a file; `hash` is the version edited (null for a new file). A concurrent change is refused with 409. */
export function writeFile(projectId: string, path: string, content: string, hash: string | null) {
  return api.writeFile(projectId, path, content, hash);
}
