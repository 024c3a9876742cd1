// What an import could not bring onto the canvas stays a problem until its cause is gone (the file it is about was
// removed or became a node), across previews and reloads; a preview alone does not wipe it.
import type { Problem } from '@designer/shared';
import { listFiles, type ProjectFileEntry } from './file-actions';
import { designerStore } from '../store';

const storageKey = (projectId: string) => `designer-import-problems:${projectId}`;

function save(projectId: string, problems: Problem[]): void {
  try {
    if (problems.length === 0) window.localStorage?.removeItem(storageKey(projectId));
    else window.localStorage?.setItem(storageKey(projectId), JSON.stringify(problems));
  } catch {
    // Storage full or disabled: the problems still show until the page is reloaded.
  }
}

export function rememberImportProblems(projectId: string, problems: Problem[]): void {
  save(projectId, problems);
  if (designerStore.getState().project?.id === projectId)
    designerStore.getState().setImportProblems(problems);
}

/** The import problems of a project opened again (after a reload). */
export function restoreImportProblems(projectId: string): void {
  let problems: Problem[] = [];
  try {
    problems = JSON.parse(window.localStorage?.getItem(storageKey(projectId)) ?? '[]') as Problem[];
  } catch {
    problems = [];
  }
  designerStore.getState().setImportProblems(Array.isArray(problems) ? problems : []);
}

/** Drops the problems whose file no longer exists or is now a node's defs.yaml; keeps the rest. */
export async function recheckImportProblems(): Promise<void> {
  const s = designerStore.getState();
  const project = s.project;
  if (!project || s.importProblems.length === 0 || s.workspace?.status !== 'ready') return;
  const aboutFiles = s.importProblems.filter((p) => p.file);
  if (aboutFiles.length === 0) return;
  let files: ProjectFileEntry[];
  try {
    files = await listFiles(project.id);
  } catch {
    return; // Not known now: keep them, the next preview asks again.
  }
  const unmanaged = new Set(files.filter((f) => !f.managedBy).map((f) => f.path));
  const current = designerStore.getState();
  if (current.project?.id !== project.id) return;
  const kept = current.importProblems.filter((p) => !p.file || unmanaged.has(p.file));
  if (kept.length !== current.importProblems.length) rememberImportProblems(project.id, kept);
}

/** The user read a problem without a file (a link left out of a ZIP) and does not need it any more. */
export function dismissImportProblem(problem: Problem): void {
  const s = designerStore.getState();
  if (!s.project) return;
  rememberImportProblems(
    s.project.id,
    s.importProblems.filter((p) => p !== problem),
  );
}
