// The designer's shell: top bar, palette, canvas, property panel, bottom drawer; keyboard, autosave,
// theme and the project in the URL.
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { Canvas } from './canvas/Canvas';
import { pointerHeld } from './canvas/nodes/pressed';
import { commandForEvent, isTyping } from './commands/keyboard';
import { useNodeValidation } from './forms/validation';
import { BottomDrawer, Toasts } from './panels/BottomDrawer';
import { Dialogs, ProjectList } from './panels/Dialogs';
import { Palette } from './panels/Palette';
import { PropertyPanel } from './panels/PropertyPanel';
import { TopBar } from './panels/TopBar';
import { PullDialogHost } from './pull/PullDialog';
import { recheckImportProblems, restoreImportProblems } from './project/import-problems';
import { loadCatalog } from './project/catalog-actions';
import { autosaveScheduler } from './project/autosave';
import { openProject, saveProject } from './project/project-actions';
import { refreshRuns } from './project/run-actions';
import { designerStore, useDesigner } from './store';
import { getFlowInstance } from './store/flow-instance';
import { recordShapes } from './store/node-shapes';
import { onIdle } from './ui/idle';

const AUTOSAVE_MS = 500;
const AUTOSAVE_HELD_RETRY_MS = 100;
const AUTOSAVE_IDLE_MS = 100;

function useKeyboard() {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (designerStore.getState().dialog) return;
      const command = commandForEvent(event, isTyping(event.target));
      if (!command) return;
      if (command.needsProject && !designerStore.getState().project) return;
      event.preventDefault();
      void command.run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/**
 * Saves 500 ms after the last change, never while the pointer is held, at an idle moment within 100 ms
 * (project/autosave.ts).
 */
function useAutosave() {
  useEffect(() => {
    const autosave = autosaveScheduler(() => void saveProject(), {
      delayMs: AUTOSAVE_MS,
      heldRetryMs: AUTOSAVE_HELD_RETRY_MS,
      held: pointerHeld,
      // Soon all the same: a save is what other tabs, the history and the Dagster project wait for.
      idle: (run) => onIdle(run, AUTOSAVE_IDLE_MS),
    });
    const unsubscribe = designerStore.subscribe((s, previous) => {
      const edited = s.changeCount !== previous.changeCount;
      if (!edited && s.viewChangeCount === previous.viewChangeCount) return;
      if (!s.project || s.saveState === 'conflict') return;
      // A pan or zoom is saved as well, without saying "Unsaved changes": the view is no edit.
      if (edited && s.saveState === 'saved') designerStore.getState().setSaveState('dirty');
      autosave.changed();
    });
    const beforeUnload = (event: BeforeUnloadEvent) => {
      const s = designerStore.getState();
      if (
        s.project &&
        (s.changeCount !== s.savedChangeCount || s.viewChangeCount !== s.savedViewChangeCount)
      ) {
        event.preventDefault();
        void saveProject();
      }
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      unsubscribe();
      autosave.cancel();
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, []);
}

/** Keeps what nodes show current: the run history until every run has ended, and the import's problems. */
function useProjectFollowUps() {
  const projectId = useDesigner((s) => s.project?.id);
  const running = useDesigner((s) => s.runs.history.some((r) => !ENDED.has(r.status)));
  const previewAt = useDesigner((s) => s.preview.at);
  useEffect(() => {
    if (projectId) restoreImportProblems(projectId);
  }, [projectId]);
  useEffect(() => {
    if (!running) return;
    // Nodes show their last run: follow a run to its end even when the Runs tab is closed.
    const timer = setInterval(() => void refreshRuns(), 2000);
    return () => clearInterval(timer);
  }, [running]);
  useEffect(() => {
    if (previewAt) void recheckImportProblems();
  }, [previewAt]);
}
const ENDED = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);

/** Records the nodes' measured shapes a while after they last changed, so the next opening draws fewer nodes. */
function useNodeShapeRecords() {
  useEffect(() => {
    let timer = 0;
    let cancelIdle = () => {};
    const record = () => {
      const s = designerStore.getState();
      const flow = getFlowInstance();
      if (s.project && flow) recordShapes(s.project.id, s.nodes, (id) => flow.getInternalNode(id));
    };
    const unsubscribe = designerStore.subscribe((s, previous) => {
      if (s.nodes === previous.nodes || !s.project) return;
      clearTimeout(timer);
      timer = window.setTimeout(() => (cancelIdle = onIdle(record)), SHAPES_RECORD_MS);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
      cancelIdle();
    };
  }, []);
}
const SHAPES_RECORD_MS = 3000;

function useTheme() {
  const theme = useDesigner((s) => s.theme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}

function StartScreen() {
  return (
    <main className="start">
      <div className="start-card">
        <h1>Design a Dagster project</h1>
        <p className="muted">
          Drag dbt, Sling, dlt, Fivetran, SQL and Python components onto a canvas; the designer writes a real
          Dagster project with the official tools.
        </p>
        <div className="start-actions">
          <button className="primary big" onClick={() => designerStore.getState().setDialog('new')}>
            New project
          </button>
          <button className="big" onClick={() => designerStore.getState().setDialog('import')}>
            Import a Dagster project
          </button>
        </div>
        <h2>Recent projects</h2>
        <ProjectList />
      </div>
    </main>
  );
}

/** The project a link names (`#/projects/<id>`), opened at start. */
const LINKED_PROJECT = /^#\/projects\/([0-9a-f-]{36})$/;

/** While the project a link names is being read: not the start screen, which would flash and list every project. */
function Opening() {
  return (
    <main className="start" aria-busy="true">
      <p className="muted" role="status">
        Opening the project…
      </p>
    </main>
  );
}

export function App() {
  const project = useDesigner((s) => s.project);
  const [linked] = useState(() => LINKED_PROJECT.exec(window.location.hash)?.[1] ?? null);
  const [opening, setOpening] = useState(linked !== null);
  useKeyboard();
  useAutosave();
  useTheme();
  useNodeValidation();
  useProjectFollowUps();
  useNodeShapeRecords();
  useEffect(() => {
    void loadCatalog();
    // A project that cannot be opened says why (a toast) over the start screen.
    if (linked) void openProject(linked).finally(() => setOpening(false));
  }, [linked]);
  return (
    <ReactFlowProvider>
      <div className="app">
        <TopBar />
        {project ? (
          <div className="workbench">
            <Palette />
            <div className="centre">
              <Canvas key={project.id} />
              <BottomDrawer />
            </div>
            <PropertyPanel />
          </div>
        ) : opening ? (
          <Opening />
        ) : (
          <StartScreen />
        )}
        <Dialogs />
        <PullDialogHost />
        <Toasts />
      </div>
    </ReactFlowProvider>
  );
}
