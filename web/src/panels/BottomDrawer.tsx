// The bottom drawer. Problems: what is wrong with the graph and each component's attributes;
// clicking one selects its component.
import { validateGraph, type Problem } from '@designer/shared';
import { useMemo } from 'react';
import { getFlowInstance } from '../commands/registry';
import { designerStore, useDesigner, useDesignerShallow } from '../store';

export function useProblems(): Problem[] {
  const { nodes, edges, formProblems } = useDesignerShallow((s) => ({ nodes: s.nodes, edges: s.edges, formProblems: s.formProblems }));
  return useMemo(() => {
    const ids = new Set(nodes.map((n) => n.id));
    const graphIssues: Problem[] = validateGraph({ nodes: nodes.map((n) => ({ id: n.id, type: 'component', position: n.position, data: n.data })), edges }).map((i) => ({
      severity: 'error',
      message: i.message,
      nodeId: i.nodeId,
    }));
    const attributeIssues = Object.entries(formProblems).flatMap(([id, list]) => (ids.has(id) ? list : []));
    return [...graphIssues, ...attributeIssues];
  }, [nodes, edges, formProblems]);
}

function focusNode(nodeId: string) {
  const s = designerStore.getState();
  s.selectOnly(nodeId);
  const node = s.nodes.find((n) => n.id === nodeId);
  if (node) void getFlowInstance()?.setCenter(node.position.x + 120, node.position.y + 40, { zoom: Math.max(getFlowInstance()?.getZoom() ?? 1, 0.8), duration: 300 });
}

function ProblemsTab({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) return <div className="muted pad">No problems. Every component's attributes match its schema.</div>;
  return (
    <ul className="problems" aria-label="Problems">
      {problems.map((p, i) => (
        <li key={i} className={p.severity}>
          <button onClick={() => p.nodeId && focusNode(p.nodeId)} disabled={!p.nodeId}>
            <span className={`sev ${p.severity}`}>{p.severity}</span>
            <span>{p.message}</span>
            {p.file && <span className="muted small">{p.file}{p.line ? `:${p.line}` : ''}</span>}
          </button>
          {p.hint && <div className="muted small hint">{p.hint}</div>}
        </li>
      ))}
    </ul>
  );
}

export function BottomDrawer() {
  const { open, tab } = useDesignerShallow((s) => ({ open: s.drawerOpen, tab: s.drawerTab }));
  const problems = useProblems();
  const errors = problems.filter((p) => p.severity === 'error').length;
  return (
    <section className={`drawer${open ? ' open' : ''}`} aria-label="Bottom panel">
      <div className="tabs drawer-tabs" role="tablist">
        <button role="tab" aria-selected={tab === 'problems'} className={tab === 'problems' ? 'active' : ''} onClick={() => designerStore.getState().setDrawer('problems', !(open && tab === 'problems'))}>
          Problems {problems.length > 0 && <span className={`count ${errors ? 'error' : 'warning'}`}>{problems.length}</span>}
        </button>
        <div className="spacer" />
        <button className="icon" aria-label={open ? 'Collapse panel' : 'Expand panel'} onClick={() => designerStore.getState().toggleDrawer()}>{open ? '▾' : '▴'}</button>
      </div>
      {open && <div className="drawer-body">{tab === 'problems' && <ProblemsTab problems={problems} />}</div>}
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
          <button className="icon" aria-label="Dismiss" onClick={() => designerStore.getState().dismissToast(t.id)}>✕</button>
        </div>
      ))}
    </div>
  );
}
