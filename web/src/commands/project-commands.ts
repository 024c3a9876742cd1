// Commands on the open project beyond the toolbar's: import, rename, close, delete, retry its Dagster project,
// cancel a run, and each tab of the bottom panel (the Environment tab is where a variable is set).
import type { Command } from './registry';
import { designerStore } from '../store';
import type { DrawerTab } from '../store/types';
import { closeProject, deleteProject, reportError } from '../project/project-actions';
import { cancelRun, refreshRuns, runToCancel } from '../project/run-actions';
import { retryWorkspace } from '../project/workspace-actions';
import {
  deploymentRunSource,
  refreshDeploymentRuns,
  selectedDeployment,
  useDeployments,
} from '../deployments/deployment-store';

const s = () => designerStore.getState();

/** Deletes the open project after the user confirms it (the project list's ✕ does the same for any project). */
async function deleteOpenProject(): Promise<void> {
  const project = s().project;
  if (!project) return;
  if (!window.confirm(`Delete “${project.name}” and its Dagster project? This cannot be undone.`)) return;
  try {
    await deleteProject(project.id);
    closeProject();
    s().toast('success', `Deleted “${project.name}”.`);
  } catch (error) {
    reportError(error, 'Could not delete the project');
  }
}

/** Cancels the run shown in the Runs tab (or the newest one still going), locally or on the picked deployment. */
async function cancelShownRun(): Promise<void> {
  const there = selectedDeployment();
  const run = runToCancel(there ? useDeployments.getState().runs : s().runs);
  if (!run) {
    s().toast('info', 'No run is in progress.');
    return;
  }
  try {
    await (there ? deploymentRunSource.cancel(run.runId) : cancelRun(run.runId));
    s().toast('info', `Cancelling run ${run.runId.slice(0, 8)}…`);
    void (there ? refreshDeploymentRuns() : refreshRuns());
  } catch (error) {
    reportError(error, 'Cancel failed');
  }
}

/** Starts renaming the project as a double-click on its name in the top bar does. */
function renameInTopBar(): void {
  document
    .querySelector('[data-testid="project-name"]')
    ?.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
}

const tab = (id: DrawerTab, label: string): Command => ({
  id: `view.tab.${id}`,
  label: `Show the ${label} tab`,
  needsProject: true,
  run: () => s().setDrawer(id, true),
});

export const projectCommands: Command[] = [
  {
    id: 'project.import',
    label: 'Import a Dagster project… (a folder, a git repository or a ZIP)',
    shortcuts: ['Alt+I'],
    run: () => s().setDialog('import'),
  },
  { id: 'project.rename', label: 'Rename the project', needsProject: true, run: renameInTopBar },
  {
    id: 'project.retryWorkspace',
    label: 'Retry creating the Dagster project (after it failed)',
    needsProject: true,
    run: () => retryWorkspace(),
  },
  { id: 'project.close', label: 'Close the project', needsProject: true, run: () => closeProject() },
  {
    id: 'project.delete',
    label: 'Delete the project… (its file, its Dagster project and its history)',
    needsProject: true,
    run: () => deleteOpenProject(),
  },
  {
    id: 'run.cancel',
    label: 'Cancel the run shown in the Runs tab (or the newest one in progress)',
    needsProject: true,
    run: () => cancelShownRun(),
  },
];

export const tabCommands: Command[] = [
  tab('problems', 'Problems'),
  tab('assets', 'Assets'),
  tab('files', 'Files'),
  { ...tab('env', 'Environment'), label: 'Environment variables: set or remove one (Environment tab)' },
  tab('runs', 'Runs'),
];
