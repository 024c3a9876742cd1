// What leaves or enters the designer as a whole project: the ZIP export, the import (folder, git, ZIP) and the
// git hand-over (diff, commit and push).
import type { GitTarget } from '@designer/shared';
import { api } from '../api/client';
import { designerStore } from '../store';
import { explainProblems } from '../store/problem-words';
import { rememberImportProblems } from './import-problems';
import { openProject, reportError, saveProject } from './project-actions';

const store = designerStore;

/** Saves, then downloads `<package>.zip`: the runnable project (uv sync && dg dev). */
export async function exportZip(): Promise<void> {
  const s = store.getState();
  const project = s.project;
  if (!project) return;
  if (s.workspace?.status !== 'ready') {
    s.toast('info', 'The Dagster project is not ready yet.');
    return;
  }
  try {
    await saveProject();
    s.setExportProgress(0);
    const { blob, filename, problems } = await api.downloadZip(project.id, (bytes) =>
      store.getState().setExportProgress(bytes),
    );
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    store
      .getState()
      .toast(
        problems > 0 ? 'error' : 'success',
        problems > 0
          ? `Exported ${filename} with ${problems} problem${problems === 1 ? '' : 's'} still open.`
          : `Exported ${filename} (${(blob.size / 1024).toFixed(0)} KiB).`,
        problems > 0
          ? 'See the Problems tab: the project may not load until they are fixed.'
          : 'Unzip it, then `uv sync && uv run dg dev`.',
      );
  } catch (error) {
    reportError(error, 'Export failed');
  } finally {
    store.getState().setExportProgress(null);
  }
}

export type ImportChoice =
  | { source: 'folder'; path: string }
  | { source: 'git'; remote: string; branch?: string; token?: string }
  | { source: 'zip'; file: File };

/** Creates a project and imports an existing Dagster project into it; on failure nothing is left behind. */
export async function importProject(
  name: string,
  choice: ImportChoice,
  onStep: (step: string) => void = () => undefined,
): Promise<boolean> {
  let created: { id: string } | null = null;
  try {
    created = await api.createProject(name);
    const id = created.id;
    // The import replaces the workspace: wait until create-dagster is done with it.
    for (;;) {
      const ws = await api.workspace(id);
      if (ws.status !== 'creating') break;
      onStep(`Preparing an empty project: ${ws.step ?? 'creating'}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    // While the import runs, its steps show in the workspace status.
    let importing = true;
    const follow = async () => {
      while (importing) {
        const ws = await api.workspace(id).catch(() => null);
        if (importing && ws?.status === 'creating' && ws.step) onStep(ws.step);
        await new Promise((r) => setTimeout(r, 700));
      }
    };
    void follow();
    const result = await (
      choice.source === 'zip' ? api.importZip(id, choice.file) : api.importProject(id, choice)
    ).finally(() => {
      importing = false;
    });
    await openProject(result.project.id);
    const s = store.getState();
    rememberImportProblems(result.project.id, explainProblems(result.problems, s.nodes, []));
    s.toast(
      'success',
      `Imported ${result.project.graph.nodes.length} component${result.project.graph.nodes.length === 1 ? '' : 's'} and ${result.project.graph.edges.length} dependenc${result.project.graph.edges.length === 1 ? 'y' : 'ies'}.`,
      result.problems.length ? 'Some files are kept but not shown: see the Problems tab.' : undefined,
    );
    return true;
  } catch (error) {
    if (created) await api.deleteProject(created.id).catch(() => undefined);
    reportError(error, 'Import failed');
    return false;
  }
}

/** What a push of the saved project to `target` would change (saved first, so the diff is what would be pushed). */
export async function gitDiff(projectId: string, target: GitTarget) {
  await saveProject();
  return api.gitDiff(projectId, target);
}

/** Commits the synced project onto the target branch and pushes it. */
export function gitPush(
  projectId: string,
  body: GitTarget & { message?: string; authorName?: string; authorEmail?: string },
) {
  return api.gitPush(projectId, body);
}
