// The preview (save, sync, load the real definitions) and `dg check defs`, with their problems in the store.
import type { PreviewResult as SharedPreviewResult } from '@designer/shared';
import { ApiError, api } from '../api/client';
import { designerStore } from '../store';
import { afterCheck, explainProblems } from '../store/problem-words';
import { reportError, saveProject } from './project-actions';

const store = designerStore;

/**
 * Saves, syncs the Dagster project and loads its real definitions (the asset graph and its problems); `quiet` keeps
 * the drawer on its tab (after a file save).
 */
export async function previewAssets(options: { quiet?: boolean } = {}): Promise<void> {
  const s = store.getState();
  const project = s.project;
  if (!project) return;
  if (s.preview.status === 'running') {
    // One preview at a time; a file saved meanwhile is previewed right after.
    if (options.quiet) pendingPreview = true;
    return;
  }
  if (s.workspace?.status !== 'ready') {
    s.toast(
      'info',
      'The Dagster project is not ready yet.',
      s.workspace?.step ?? 'Wait until the top bar says "Dagster project ready".',
    );
    return;
  }
  s.setPreview({ status: 'running', error: undefined });
  if (!options.quiet) s.setDrawer('assets', true);
  try {
    await saveProject();
    if (store.getState().saveState === 'conflict')
      throw new ApiError(409, 'conflict', 'Resolve the save conflict first.');
    const nodeIds = new Set(store.getState().nodes.map((n) => n.id));
    const result = await api.preview(project.id);
    // Older servers answer assets only; the other definitions then show as none.
    const defs = result as Partial<SharedPreviewResult>;
    store.getState().setPreview({
      status: 'done',
      nodeIds,
      assets: result.assets,
      definitions: {
        checks: defs.checks ?? [],
        jobs: defs.jobs ?? [],
        schedules: defs.schedules ?? [],
        sensors: defs.sensors ?? [],
        resources: defs.resources ?? [],
      },
      problems: explainProblems(result.problems, store.getState().nodes, result.assets),
      durationMs: result.durationMs,
      inspectMs: result.inspectMs,
      warm: result.warm,
      partial: defs.partial
        ? new Set(
            result.problems.filter((p) => p.severity === 'error').map((p) => p.nodeId ?? p.file ?? p.message),
          ).size
        : undefined,
      at: new Date().toISOString(),
    });
    const errors = result.problems.filter((p) => p.severity === 'error').length;
    if (errors > 0 && !options.quiet) store.getState().setDrawer('problems', true);
    // A project that loads is likely to be run: start its Dagster instance now, so the first run is warm.
    if (errors === 0) void api.warmInstance(project.id).catch(() => undefined);
  } catch (error) {
    store
      .getState()
      .setPreview({ status: 'error', error: error instanceof Error ? error.message : String(error) });
    reportError(error, 'Preview failed');
  }
  if (pendingPreview) {
    pendingPreview = false;
    await previewAssets({ quiet: true });
  }
}
let pendingPreview = false;

/** `dg check defs` on the saved project: loads every definition as Dagster would. */
export async function checkDefinitions(): Promise<void> {
  const s = store.getState();
  const project = s.project;
  if (!project || s.workspace?.status !== 'ready') return;
  s.toast('info', 'Running dg check defs…');
  try {
    await saveProject();
    const result = await api.checkDefs(project.id);
    const after = store.getState();
    const checked = explainProblems(result.problems, after.nodes, after.preview.assets);
    after.setPreview({ problems: afterCheck(checked, after.preview.problems) });
    if (result.ok)
      after.toast('success', `dg check defs passed in ${(result.durationMs / 1000).toFixed(1)} s.`);
    else {
      after.toast(
        'error',
        `dg check defs found ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}.`,
      );
      after.setDrawer('problems', true);
    }
  } catch (error) {
    reportError(error, 'dg check defs failed');
  }
}
