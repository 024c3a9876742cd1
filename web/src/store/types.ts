import type {
  Asset,
  ComponentSchema,
  ComponentSummary,
  InstanceState,
  PreviewResult,
  Problem,
  ProjectFile,
  ProjectSummary,
  Run,
  WorkspaceStatus,
} from '@designer/shared';
import type { EdgeChange, NodeChange, Viewport, XYPosition } from '@xyflow/react';
import type {
  Clipboard,
  ComponentNodeData,
  DesignerEdge,
  DesignerGroup,
  DesignerNode,
  GraphState,
} from './graph-ops';

export interface GraphSlice {
  nodes: DesignerNode[];
  edges: DesignerEdge[];
  /** Groups on the canvas (web/src/groups/); their members stay in `nodes`, with absolute positions. */
  groups: DesignerGroup[];
  viewport: Viewport;
  past: GraphState[];
  future: GraphState[];
  clipboard: Clipboard | null;
  /** Bumped on every change that should be saved. */
  changeCount: number;
  /** Bumped on every pan or zoom: saved with the project too, but quietly (a view change is no edit). */
  viewChangeCount: number;
  onNodesChange: (changes: NodeChange<DesignerNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<DesignerEdge>[]) => void;
  beginDrag: () => void;
  connectNodes: (source: string, target: string) => string | null;
  addComponent: (component: { type: string; name: string }, position: XYPosition) => string;
  deleteSelection: () => void;
  updateNode: (id: string, patch: Partial<ComponentNodeData>, historyKey?: string) => void;
  renameNode: (id: string, label: string) => string | null;
  applyPositions: (positions: Record<string, XYPosition>) => void;
  setViewport: (viewport: Viewport) => void;
  selectOnly: (id: string | null) => void;
  /** Applies a graph computed elsewhere (groups, …) as one undo step (coalesced by `historyKey`). */
  applyGraph: (next: GraphState, historyKey?: string) => void;
  undo: () => void;
  redo: () => void;
  copy: () => boolean;
  cut: () => void;
  pasteClipboard: (offset?: XYPosition) => void;
  duplicate: () => void;
  selectAll: () => void;
  replaceGraph: (graph: GraphState, viewport?: Viewport) => void;
}

export type SaveState = 'saved' | 'dirty' | 'saving' | 'error' | 'conflict';

export interface ProjectSlice {
  project: ProjectFile | null;
  saveState: SaveState;
  savedChangeCount: number;
  savedViewChangeCount: number;
  saveError: string | null;
  conflictVersion: number | null;
  workspace: WorkspaceStatus | null;
  projects: ProjectSummary[] | null;
  setProject: (project: ProjectFile | null) => void;
  setSaveState: (
    state: SaveState,
    extra?: {
      error?: string;
      conflictVersion?: number;
      version?: number;
      savedChangeCount?: number;
      savedViewChangeCount?: number;
    },
  ) => void;
  setWorkspace: (workspace: WorkspaceStatus | null) => void;
  setProjects: (projects: ProjectSummary[] | null) => void;
  renameProjectLocal: (name: string, version: number) => void;
  /** Records env-var names the graph references (names only, never values). */
  addEnvRefs: (names: string[]) => void;
  /** Declares an env var (description, whether runs need it) in the project file; never a value. */
  declareEnv: (name: string, patch: { description?: string; required?: boolean }) => void;
  /** Remembers the Git remote and branch in the project file (never a token). */
  setGitSettings: (remote: string, branch: string) => void;
}

export interface Toast {
  id: number;
  kind: 'info' | 'error' | 'success';
  message: string;
  hint?: string;
}

export type DrawerTab = 'problems' | 'assets' | 'files' | 'env' | 'runs' | 'history';
export type Dialog = null | 'open' | 'new' | 'conflict' | 'delete' | 'shortcuts' | 'git' | 'import' | 'run';

export interface UiSlice {
  theme: 'light' | 'dark';
  drawerTab: DrawerTab;
  drawerOpen: boolean;
  dialog: Dialog;
  toasts: Toast[];
  paletteQuery: string;
  focusField: { nodeId: string; path: string; section?: 'advanced' } | null;
  /** The file shown in the Files tab's editor. */
  openFile: string | null;
  /** Shows a file in the Files tab (opening the drawer there). */
  setOpenFile: (path: string | null) => void;
  setTheme: (theme: 'light' | 'dark') => void;
  setDrawer: (tab: DrawerTab, open?: boolean) => void;
  toggleDrawer: () => void;
  setDialog: (dialog: Dialog) => void;
  toast: (kind: Toast['kind'], message: string, hint?: string) => void;
  dismissToast: (id: number) => void;
  clearToasts: () => void;
  setPaletteQuery: (query: string) => void;
  setFocusField: (focus: UiSlice['focusField']) => void;
  /** Bytes of the ZIP received so far while exporting, or null. */
  exportProgress: number | null;
  setExportProgress: (bytes: number | null) => void;
}

export interface PreviewState {
  status: 'idle' | 'running' | 'done' | 'error';
  assets: Asset[];
  /** Problems found by sync and by loading the real definitions, at the last preview. */
  problems: Problem[];
  /** The ids of the graph's nodes the last preview saw: a node added since has not been previewed yet. */
  nodeIds?: ReadonlySet<string>;
  /** Asset checks, jobs, schedules, sensors and resources of the last preview, each with its node. */
  definitions?: Pick<PreviewResult, 'checks' | 'jobs' | 'schedules' | 'sensors' | 'resources'>;
  durationMs?: number;
  inspectMs?: number;
  warm?: boolean;
  /** The whole load failed and this answer holds what the rest loads: how many nodes (or files) failed. */
  partial?: number;
  at?: string;
  error?: string;
}

export interface RunsState {
  history: Run[];
  selected: string | null;
  loading: boolean;
  /** The project's Dagster instance (its start steps while it starts). */
  instance?: InstanceState;
}

export interface CatalogSlice {
  runs: RunsState;
  setRuns: (runs: Partial<RunsState>) => void;
  preview: PreviewState;
  setPreview: (preview: Partial<PreviewState>) => void;
  catalog: ComponentSummary[] | null;
  catalogError: string | null;
  schemas: Record<string, ComponentSchema | { error: string } | 'loading'>;
  /** Problems from attribute validation, by node id (client-side, against the real schema). */
  formProblems: Record<string, Problem[]>;
  setCatalog: (catalog: ComponentSummary[] | null, error?: string | null) => void;
  setSchema: (type: string, schema: ComponentSchema | { error: string } | 'loading') => void;
  setFormProblems: (nodeId: string, problems: Problem[]) => void;
  /** What the import of this project could not bring onto the canvas; kept until its cause is gone. */
  importProblems: Problem[];
  setImportProblems: (problems: Problem[]) => void;
}

export type DesignerState = GraphSlice & ProjectSlice & UiSlice & CatalogSlice;
