// Every user action is a command: toolbar buttons, menus and the keyboard all run the same thing.
import { designerStore } from '../store';
import { saveProject } from '../project/project-actions';
import { checkDefinitions, previewAssets } from '../project/preview-actions';
import { exportZip } from '../project/hand-over-actions';
import { runAssets } from '../project/run-actions';
import { LARGE_GRAPH } from '@designer/shared';
import { layoutGraph } from '../canvas/layout';
import { FIT_VIEW_OPTIONS } from '../canvas/fit-view';
import {
  openDeploymentsDialog,
  refreshDeployment,
  reloadDeploymentNow,
  runOnDeployment,
  selectedDeployment,
} from '../deployments/deployment-store';
import { getFlowInstance } from '../store/flow-instance';
import { openPullDialog } from '../pull/pull-store';
import { closeFind, openFind, stepFind } from '../find/find-store';
import { clearDiff } from '../history/history-store';
import { openSaveSnippet } from '../snippets/snippet-store';
import {
  groupSelected,
  toggleCollapsed,
  toggleDagsterGroup,
  ungroupSelected,
  useGroupUi,
  targetGroup,
} from '../groups/group-actions';
import { layoutWithGroups } from '../canvas/group-layout';
import { projectCommands, tabCommands } from './project-commands';

export interface Command {
  id: string;
  label: string;
  /** Key combos like "Mod+Z" (Mod = Ctrl, or Cmd on macOS), "Shift+Mod+Z", "Delete", "/". */
  shortcuts?: string[];
  /** Shortcuts that also fire while typing in a field (e.g. Mod+S). */
  global?: boolean;
  needsProject?: boolean;
  run: () => void | Promise<void>;
}

const s = () => designerStore.getState();

/** Centre of the visible canvas in flow coordinates (where Enter in the palette adds a node). */
export function viewCentre(): { x: number; y: number } {
  const pane = document.querySelector('.react-flow');
  const flow = getFlowInstance();
  if (!flow || !pane) return { x: 0, y: 0 };
  const rect = pane.getBoundingClientRect();
  const p = flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
  return { x: p.x - 110, y: p.y - 35 };
}

export async function tidyUp(): Promise<void> {
  const { nodes, edges, groups } = s();
  if (nodes.length === 0) return;
  const started = performance.now();
  let positions: Record<string, { x: number; y: number }>;
  try {
    // Each group stays together: a compound node, or in a large project a box laid out inside first (group-layout.ts).
    positions = groups.length
      ? await layoutWithGroups(nodes, edges, groups)
      : await layoutGraph(nodes, edges);
  } catch (error) {
    s().toast('error', `Auto-layout failed: ${(error as Error).message}`);
    return;
  }
  s().applyPositions(positions);
  // A large graph is framed at once: an animated fit drew all of its nodes in a frame after the animation's first
  // ones (~1 s of main-thread work at 1,000 nodes), over the user's next gesture or the next Tidy up.
  const fit = nodes.length >= LARGE_GRAPH ? { ...FIT_VIEW_OPTIONS, duration: 0 } : FIT_VIEW_OPTIONS;
  requestAnimationFrame(() => getFlowInstance()?.fitView(fit));
  (window as unknown as { __lastLayoutMs?: number }).__lastLayoutMs = performance.now() - started;
}

export const commands: Command[] = [
  { id: 'project.new', label: 'New project', shortcuts: ['Alt+N'], run: () => s().setDialog('new') },
  {
    id: 'project.open',
    label: 'Open project',
    shortcuts: ['Mod+O'],
    global: true,
    run: () => s().setDialog('open'),
  },
  {
    id: 'project.save',
    label: 'Save',
    shortcuts: ['Mod+S'],
    global: true,
    needsProject: true,
    run: () => saveProject(),
  },
  {
    id: 'project.preview',
    label: 'Preview assets (save, sync, load the real definitions)',
    shortcuts: ['Mod+Enter'],
    global: true,
    needsProject: true,
    run: () => previewAssets(),
  },
  {
    id: 'project.check',
    label: 'Check definitions (dg check defs)',
    shortcuts: ['Shift+Mod+Enter'],
    global: true,
    needsProject: true,
    run: () => checkDefinitions(),
  },
  {
    id: 'project.export',
    label: 'Export ZIP (runs as is: uv sync && dg dev)',
    shortcuts: ['Shift+Mod+E'],
    global: true,
    needsProject: true,
    run: () => exportZip(),
  },
  {
    id: 'project.push',
    label: 'Push to Git (see the diff first)',
    shortcuts: ['Shift+Mod+G'],
    global: true,
    needsProject: true,
    run: () => s().setDialog('git'),
  },
  {
    id: 'project.pull',
    label: "Pull from Git (teammates' changes: see them, resolve conflicts, merge)",
    needsProject: true,
    shortcuts: ['Alt+P'],
    run: () => openPullDialog(),
  },
  {
    id: 'project.run',
    label: 'Run (the selected components, or everything)',
    shortcuts: ['Shift+Mod+R'],
    global: true,
    needsProject: true,
    // With a deployment picked in the top bar, the run goes there (its code location, through its GraphQL).
    run: async () => void (await (selectedDeployment() ? runOnDeployment() : runAssets())),
  },
  {
    id: 'deployment.manage',
    label: 'Deployments… (add a Dagster OSS or Dagster+ deployment, its token, test the connection)',
    needsProject: true,
    run: () => openDeploymentsDialog(),
  },
  {
    id: 'deployment.reload',
    label: 'Reload deployment (its code location, after a push; load errors on their nodes)',
    needsProject: true,
    run: () => reloadDeploymentNow(),
  },
  {
    id: 'deployment.refresh',
    label: "Refresh the deployment's state of the assets and its runs",
    needsProject: true,
    run: () => refreshDeployment(),
  },
  {
    id: 'project.runWith',
    label:
      'Run with configuration or backfill partitions… (run config form, env overrides, partitions of partitioned assets)',
    shortcuts: ['Alt+R'],
    global: true,
    needsProject: true,
    run: () => s().setDialog('run'),
  },
  ...projectCommands,
  { id: 'edit.undo', label: 'Undo', shortcuts: ['Mod+Z'], needsProject: true, run: () => s().undo() },
  {
    id: 'edit.redo',
    label: 'Redo',
    shortcuts: ['Shift+Mod+Z', 'Mod+Y'],
    needsProject: true,
    run: () => s().redo(),
  },
  { id: 'edit.copy', label: 'Copy', shortcuts: ['Mod+C'], needsProject: true, run: () => void s().copy() },
  { id: 'edit.cut', label: 'Cut', shortcuts: ['Mod+X'], needsProject: true, run: () => s().cut() },
  {
    id: 'edit.paste',
    label: 'Paste',
    shortcuts: ['Mod+V'],
    needsProject: true,
    run: () => s().pasteClipboard(),
  },
  {
    id: 'edit.duplicate',
    label: 'Duplicate',
    shortcuts: ['Mod+D'],
    needsProject: true,
    run: () => s().duplicate(),
  },
  {
    id: 'edit.delete',
    label: 'Delete selection',
    shortcuts: ['Delete', 'Backspace'],
    needsProject: true,
    run: () => s().deleteSelection(),
  },
  {
    id: 'edit.selectAll',
    label: 'Select all',
    shortcuts: ['Mod+A'],
    needsProject: true,
    run: () => s().selectAll(),
  },
  {
    id: 'edit.saveSnippet',
    label: 'Save selection as snippet (nodes, their edges and files; inserted from the palette)',
    shortcuts: ['Alt+S'],
    needsProject: true,
    run: () => openSaveSnippet(),
  },
  {
    id: 'group.create',
    label: 'Group the selection',
    shortcuts: ['Mod+G'],
    needsProject: true,
    run: groupSelected,
  },
  {
    id: 'group.ungroup',
    label: 'Ungroup (the members stay)',
    shortcuts: ['Shift+Alt+G'],
    needsProject: true,
    run: () => ungroupSelected(),
  },
  {
    id: 'group.collapse',
    label: 'Collapse or expand the group',
    shortcuts: ['Alt+G'],
    needsProject: true,
    run: () => toggleCollapsed(),
  },
  {
    id: 'group.rename',
    label: 'Rename the group',
    needsProject: true,
    run: () => {
      const group = targetGroup();
      if (group) useGroupUi.setState({ renaming: group.id });
    },
  },
  {
    id: 'group.dagster',
    label: "Set Dagster group for members (the group's name as their assets' group_name)",
    needsProject: true,
    run: () => toggleDagsterGroup(),
  },
  {
    id: 'view.tidy',
    label: 'Tidy up (auto-layout)',
    shortcuts: ['Shift+L'],
    needsProject: true,
    run: () => tidyUp(),
  },
  {
    id: 'view.fit',
    label: 'Fit view',
    shortcuts: ['Shift+1'],
    needsProject: true,
    run: () => void getFlowInstance()?.fitView(FIT_VIEW_OPTIONS),
  },
  {
    id: 'view.palette',
    label: 'Search components',
    shortcuts: ['/'],
    needsProject: true,
    run: () => document.getElementById('palette-search')?.focus(),
  },
  // Not global: in a text field or the code editor, Ctrl+F stays the browser's or the editor's own find.
  {
    id: 'view.find',
    label: 'Find on the canvas (name, type, asset key, group, kind, tag, problem)',
    shortcuts: ['Mod+F'],
    needsProject: true,
    run: () => openFind(),
  },
  {
    id: 'view.findNext',
    label: 'Find: next match (Enter in the find bar)',
    shortcuts: ['F3'],
    needsProject: true,
    run: () => stepFind(1),
  },
  {
    id: 'view.findPrevious',
    label: 'Find: previous match (Shift+Enter in the find bar)',
    shortcuts: ['Shift+F3'],
    needsProject: true,
    run: () => stepFind(-1),
  },
  {
    id: 'view.findClose',
    label: 'Close find and clear its marks',
    shortcuts: ['Escape'],
    needsProject: true,
    run: () => closeFind(),
  },
  {
    id: 'view.history',
    label: 'History: every saved version, diff, restore',
    shortcuts: ['Alt+H'],
    global: true,
    needsProject: true,
    run: () => s().setDrawer('history', true),
  },
  {
    id: 'history.clearMarks',
    label: 'History: clear the diff drawn on the canvas',
    shortcuts: ['Shift+Alt+H'],
    needsProject: true,
    run: () => clearDiff(),
  },
  ...tabCommands,
  {
    id: 'view.drawer',
    label: 'Toggle bottom panel',
    shortcuts: ['Mod+J'],
    global: true,
    run: () => s().toggleDrawer(),
  },
  {
    id: 'view.theme',
    label: 'Toggle dark theme',
    shortcuts: ['Alt+T'],
    run: () => s().setTheme(s().theme === 'dark' ? 'light' : 'dark'),
  },
  {
    id: 'help.shortcuts',
    label: 'Keyboard shortcuts',
    shortcuts: ['Shift+?'],
    run: () => s().setDialog('shortcuts'),
  },
];

export const commandById = (id: string): Command => {
  const command = commands.find((c) => c.id === id);
  if (!command) throw new Error(`unknown command ${id}`);
  return command;
};

export function runCommand(id: string): void {
  const command = commandById(id);
  if (command.needsProject && !s().project) return;
  void command.run();
}
