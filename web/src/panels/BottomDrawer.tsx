// The bottom drawer. Problems: what is wrong with the graph and each component's attributes;
// clicking one selects its component.
import { validateGraph, type Problem } from '@designer/shared';
import { useMemo, useRef, useState } from 'react';
import { designerStore, useDesigner, useDesignerShallow } from '../store';
import { AssetsTab } from './AssetsTab';
import { EnvTab } from './EnvTab';
import { FilesTab } from './FilesTab';
import { HistoryTab } from './HistoryTab';
import { RunsTab } from './RunsTab';
import { dismissImportProblem } from '../project/import-problems';
import { focusNode } from './focus';
import { standingProblems } from '../forms/validation';
import type { DesignerNode } from '../store/graph-ops';
import { contentMemo } from './node-content';

export function useProblems(): Problem[] {
  // The same nodes array while only positions, sizes or selection change: a drag does not validate again.
  const [content] = useState(contentMemo<DesignerNode>);
  const { nodes, edges, formProblems, previewProblems, importProblems } = useDesignerShallow((s) => ({
    nodes: content(s.nodes),
    edges: s.edges,
    formProblems: s.formProblems,
    previewProblems: s.preview.problems,
    importProblems: s.importProblems,
  }));
  return useMemo(() => {
    const ids = new Set(nodes.map((n) => n.id));
    const graphIssues: Problem[] = validateGraph({
      nodes: nodes.map((n) => ({ id: n.id, type: 'component', position: n.position, data: n.data })),
      edges,
    }).map((i) => ({
      severity: 'error',
      message: i.message,
      nodeId: i.nodeId,
    }));
    const attributeIssues = Object.entries(formProblems).flatMap(([id, list]) => (ids.has(id) ? list : []));
    const attributes = new Map(nodes.map((n) => [n.id, n.data.attributes]));
    const fromDagster = standingProblems(previewProblems, (id) => attributes.get(id), formProblems);
    // An import's problems stay until their cause is gone, whatever later previews say.
    const known = new Set(fromDagster.map((p) => p.message));
    const fromImport = importProblems.filter((p) => !known.has(p.message));
    return [...graphIssues, ...attributeIssues, ...fromDagster, ...fromImport];
  }, [nodes, edges, formProblems, previewProblems, importProblems]);
}

function ProblemLine({ problem: p }: { problem: Problem }) {
  return (
    <>
      <span className={`sev ${p.severity}`}>{p.severity}</span>
      <span>{p.message}</span>
      {p.file && (
        <span className="muted small">
          {p.file}
          {p.line ? `:${p.line}` : ''}
        </span>
      )}
    </>
  );
}

function ProblemsTab({ problems }: { problems: Problem[] }) {
  const importProblems = useDesigner((s) => s.importProblems);
  if (problems.length === 0)
    return <div className="muted pad">No problems. Every component's attributes match its schema.</div>;
  return (
    <ul className="problems" aria-label="Problems">
      {problems.map((p, i) => (
        <li key={i} className={p.severity}>
          {p.nodeId ? (
            <button onClick={() => focusNode(p.nodeId!, p.field)}>
              <ProblemLine problem={p} />
            </button>
          ) : (
            <div className="problem-line">
              <ProblemLine problem={p} />
            </div>
          )}
          {p.file && (
            <button className="link small" onClick={() => designerStore.getState().setOpenFile(p.file!)}>
              open file
            </button>
          )}
          {p.hint && <div className="muted small hint">{p.hint}</div>}
          {!p.file && !p.nodeId && importProblems.includes(p) && (
            <button className="link small" onClick={() => dismissImportProblem(p)}>
              dismiss
            </button>
          )}
          {/Environment panel/.test(p.hint ?? '') && (
            <button className="link small" onClick={() => designerStore.getState().setDrawer('env', true)}>
              open the Environment panel
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

const HEIGHT_KEY = 'designer-drawer-height';
const MIN_HEIGHT = 120;
const maxHeight = () => Math.max(MIN_HEIGHT, window.innerHeight - 220);
const clampHeight = (h: number) => Math.round(Math.min(maxHeight(), Math.max(MIN_HEIGHT, h)));

/** The panel's height, and the handle on its top edge that changes it (drag, or arrow keys when focused). */
function useDrawerHeight(open: boolean): [number, React.ReactNode] {
  const [height, setHeight] = useState(() =>
    clampHeight(Number(window.localStorage?.getItem(HEIGHT_KEY)) || 300),
  );
  const drag = useRef<{ y: number; height: number } | null>(null);
  const commit = (h: number) => {
    const next = clampHeight(h);
    setHeight(next);
    window.localStorage?.setItem(HEIGHT_KEY, String(next));
  };
  const handle = open ? (
    <div
      className="drawer-resize"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the bottom panel"
      aria-valuenow={height}
      aria-valuemin={MIN_HEIGHT}
      aria-valuemax={maxHeight()}
      tabIndex={0}
      title="Drag to resize"
      onPointerDown={(e) => {
        e.preventDefault();
        e.stopPropagation();
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { y: e.clientY, height };
      }}
      onPointerMove={(e) => {
        if (drag.current) commit(drag.current.height + drag.current.y - e.clientY);
      }}
      onPointerUp={(e) => {
        drag.current = null;
        e.currentTarget.releasePointerCapture(e.pointerId);
      }}
      onKeyDown={(e) => {
        if (e.key === 'ArrowUp') commit(height + 24);
        else if (e.key === 'ArrowDown') commit(height - 24);
        else return;
        e.preventDefault();
      }}
    />
  ) : null;
  return [height, handle];
}

export function BottomDrawer() {
  const { open, tab } = useDesignerShallow((s) => ({ open: s.drawerOpen, tab: s.drawerTab }));
  const problems = useProblems();
  const assetCount = useDesigner((s) => s.preview.assets.length);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const [height, resizeHandle] = useDrawerHeight(open);
  return (
    <section
      className={`drawer${open ? ' open' : ''}`}
      aria-label="Bottom panel"
      style={open ? { height } : undefined}
    >
      {resizeHandle}
      <div className="tabs drawer-tabs" role="tablist">
        {(
          [
            [
              'problems',
              'Problems',
              problems.length > 0 && (
                <span className={`count ${errors ? 'error' : 'warning'}`}>{problems.length}</span>
              ),
            ],
            ['assets', 'Assets', assetCount > 0 && <span className="count">{assetCount}</span>],
            ['files', 'Files', null],
            ['env', 'Environment', null],
            ['runs', 'Runs', null],
            ['history', 'History', null],
          ] as const
        ).map(([id, label, badge]) => (
          <button
            key={id}
            role="tab"
            aria-selected={tab === id}
            className={tab === id ? 'active' : ''}
            onClick={() => designerStore.getState().setDrawer(id, true)}
          >
            {label} {badge}
          </button>
        ))}
        <div className="spacer" />
        <button
          className="icon"
          aria-label={open ? 'Collapse panel' : 'Expand panel'}
          onClick={() => designerStore.getState().toggleDrawer()}
        >
          {open ? '▾' : '▴'}
        </button>
      </div>
      {open && (
        <div className="drawer-body">
          {tab === 'problems' && <ProblemsTab problems={problems} />}
          {tab === 'assets' && <AssetsTab />}
          {tab === 'files' && <FilesTab />}
          {tab === 'env' && <EnvTab />}
          {tab === 'history' && <HistoryTab />}
          {tab === 'runs' && <RunsTab />}
        </div>
      )}
    </section>
  );
}

export function Toasts() {
  const toasts = useDesigner((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          <div>
            <div>{t.message}</div>
            {t.hint && <div className="small muted">{t.hint}</div>}
          </div>
          <button
            className="icon"
            aria-label="Dismiss"
            onClick={() => designerStore.getState().dismissToast(t.id)}
          >
            ✕
          </button>
        </div>
      ))}
      {toasts.length > 1 && (
        <button className="link small toasts-clear" onClick={() => designerStore.getState().clearToasts()}>
          Close all
        </button>
      )}
    </div>
  );
}
