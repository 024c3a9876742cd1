// Classes the canvas puts on nodes and edges for Find (the current match) and for a history diff (added,
// changed): only the marked nodes get a new object, so React Flow re-renders those and not the other thousand;
// dimming the rest is one class on the flow wrapper (styles/marks.css). Find's matches, up to every node while a
// query is typed, carry an attribute set on their elements instead (find-marks.ts), so typing does not change
// React Flow's nodes.
import { useMemo, useRef } from 'react';
import { useHistory } from '../history/history-store';
import type { DesignerEdge, DesignerNode } from '../store/graph-ops';
import { useFind } from './find-store';

export function useCanvasMarks(
  nodes: DesignerNode[],
  edges: DesignerEdge[],
): { nodes: DesignerNode[]; edges: DesignerEdge[]; className: string | undefined } {
  const finding = useFind((s) => s.open && s.query.trim() !== '');
  const current = useFind((s) => s.matches[s.current]?.id);
  const diff = useHistory((s) => s.diff);
  // The marked copy of each node, reused while the node and its classes stay the same: React Flow gets the very
  // same objects and has nothing to update.
  const copies = useRef(new Map<string, { source: DesignerNode; className: string; copy: DesignerNode }>());
  return useMemo(() => {
    const nodeClass = new Map<string, string>();
    const mark = (id: string, c: string) =>
      nodeClass.set(id, nodeClass.has(id) ? `${nodeClass.get(id)} ${c}` : c);
    if (diff) {
      for (const n of diff.graph.nodes.added) mark(n.id, 'diff-added');
      for (const n of diff.graph.nodes.changed) mark(n.id, 'diff-changed');
    }
    if (finding && current) mark(current, 'find-current');
    const addedEdges = new Set(diff?.graph.edges.added.map((e) => `${e.source}\u0000${e.target}`) ?? []);
    const className = [finding && 'finding', diff && 'diffing'].filter(Boolean).join(' ') || undefined;
    if (nodeClass.size === 0 && addedEdges.size === 0) {
      copies.current.clear();
      return { nodes, edges, className };
    }
    return {
      nodes: nodeClass.size
        ? nodes.map((n) => {
            const c = nodeClass.get(n.id);
            if (!c) return n;
            const known = copies.current.get(n.id);
            if (known && known.source === n && known.className === c) return known.copy;
            const copy = { ...n, className: n.className ? `${n.className} ${c}` : c };
            copies.current.set(n.id, { source: n, className: c, copy });
            return copy;
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
  }, [nodes, edges, finding, current, diff]);
}
