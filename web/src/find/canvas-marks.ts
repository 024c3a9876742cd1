// Classes the canvas puts on nodes and edges for Find (matches, the current one) and for a history diff (added,
// changed): only the marked nodes get a new object, so React Flow re-renders those and not the other thousand;
// dimming the rest is one class on the flow wrapper (styles.css, "Find and history marks").
import { useMemo } from 'react';
import { useHistory } from '../history/history-store';
import type { DesignerEdge, DesignerNode } from '../store/graph-ops';
import { useFind } from './find-store';

export function useCanvasMarks(
  nodes: DesignerNode[],
  edges: DesignerEdge[],
): { nodes: DesignerNode[]; edges: DesignerEdge[]; className: string | undefined } {
  const finding = useFind((s) => s.open && s.query.trim() !== '');
  const matches = useFind((s) => s.matches);
  const current = useFind((s) => s.matches[s.current]?.id);
  const diff = useHistory((s) => s.diff);
  return useMemo(() => {
    const nodeClass = new Map<string, string>();
    const mark = (id: string, c: string) =>
      nodeClass.set(id, nodeClass.has(id) ? `${nodeClass.get(id)} ${c}` : c);
    if (diff) {
      for (const n of diff.graph.nodes.added) mark(n.id, 'diff-added');
      for (const n of diff.graph.nodes.changed) mark(n.id, 'diff-changed');
    }
    if (finding) {
      for (const m of matches) mark(m.id, 'find-match');
      if (current) mark(current, 'find-current');
    }
    const addedEdges = new Set(diff?.graph.edges.added.map((e) => `${e.source}\u0000${e.target}`) ?? []);
    const className = [finding && 'finding', diff && 'diffing'].filter(Boolean).join(' ') || undefined;
    if (nodeClass.size === 0 && addedEdges.size === 0) return { nodes, edges, className };
    return {
      nodes: nodeClass.size
        ? nodes.map((n) => {
            const c = nodeClass.get(n.id);
            return c ? { ...n, className: n.className ? `${n.className} ${c}` : c } : n;
          })
        : nodes,
      edges: addedEdges.size
        ? edges.map((e) =>
            addedEdges.has(`${e.source}\u0000${e.target}`)
              ? { ...e, className: e.className ? `${e.className} diff-added` : 'diff-added' }
              : e,
          )
        : edges,
      className,
    };
  }, [nodes, edges, finding, matches, current, diff]);
}
