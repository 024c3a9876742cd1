// What a compared version had and the newer one lacks, drawn where it stood (inside the flow's viewport, so it pans
// and zooms with the canvas): removed nodes as red ghosts, removed edges as dashed red lines between their two ends
// (a node still on the canvas, or a ghost). Added and changed nodes and added edges are marked by canvas-marks.ts.
import { useStore, ViewportPortal, type ReactFlowState } from '@xyflow/react';
import { useCallback } from 'react';
import { useHistory } from './history-store';

/** The ghost's box (styles/marks.css `.diff-ghost`: 220 px wide, two lines of text). */
const GHOST = { w: 220, h: 58 };
/** A node React Flow has not measured yet counts as this (as placement.ts does). */
const UNMEASURED = { w: 240, h: 76 };

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const sameBoxes = (a: Record<string, Box>, b: Record<string, Box>) => {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => {
    const p = a[k]!;
    const q = b[k];
    return q !== undefined && p.x === q.x && p.y === q.y && p.w === q.w && p.h === q.h;
  });
};
const NONE: Record<string, Box> = {};

export function HistoryMarks() {
  const removed = useHistory((s) => s.diff?.removedNodes);
  const removedEdges = useHistory((s) => s.diff?.graph.edges.removed);
  // Only the boxes of the nodes a removed edge touches: panning changes none of them, so nothing re-renders then.
  const boxes = useStore(
    useCallback(
      (state: ReactFlowState) => {
        if (!removedEdges || removedEdges.length === 0) return NONE;
        const out: Record<string, Box> = {};
        for (const e of removedEdges)
          for (const id of [e.source, e.target]) {
            const n = state.nodeLookup.get(id);
            if (!n) continue;
            out[id] = {
              x: n.internals.positionAbsolute.x,
              y: n.internals.positionAbsolute.y,
              w: n.measured.width ?? UNMEASURED.w,
              h: n.measured.height ?? UNMEASURED.h,
            };
          }
        return out;
      },
      [removedEdges],
    ),
    sameBoxes,
  );
  if ((!removed || removed.length === 0) && (!removedEdges || removedEdges.length === 0)) return null;
  const ghosts = new Map((removed ?? []).map((n) => [n.id, n]));
  const boxOf = (id: string): Box | null => {
    const ghost = ghosts.get(id);
    if (ghost) return { x: ghost.position.x, y: ghost.position.y, ...GHOST };
    return boxes[id] ?? null;
  };
  const lines = (removedEdges ?? []).flatMap((e) => {
    const from = boxOf(e.source);
    const to = boxOf(e.target);
    if (!from || !to) return [];
    // Right side of the upstream box to the left side of the downstream one, as the canvas draws edges.
    const x1 = from.x + from.w;
    const y1 = from.y + from.h / 2;
    const x2 = to.x;
    const y2 = to.y + to.h / 2;
    const bend = Math.max(40, Math.abs(x2 - x1) / 2);
    return [
      {
        key: `${e.source}\u0000${e.target}`,
        label: e.label,
        d: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`,
        x2,
        y2,
      },
    ];
  });
  return (
    <ViewportPortal>
      {lines.length > 0 && (
        <svg className="diff-removed-edges" aria-hidden="true">
          {lines.map((l) => (
            <g key={l.key} data-testid={`removed-edge-${l.label}`}>
              <title>Removed edge: {l.label}</title>
              <path d={l.d} className="diff-removed-edge" />
              <path
                d={`M ${l.x2 - 9} ${l.y2 - 5} L ${l.x2} ${l.y2} L ${l.x2 - 9} ${l.y2 + 5}`}
                className="diff-removed-edge"
              />
            </g>
          ))}
        </svg>
      )}
      {(removed ?? []).map((n) => (
        <div
          key={n.id}
          className="diff-ghost"
          data-testid={`ghost-${n.data.label}`}
          style={{ transform: `translate(${n.position.x}px, ${n.position.y}px)` }}
          title={`Removed: ${n.data.label} (${n.data.component_type})`}
        >
          <span className="diff-ghost-label">{n.data.label}</span>
          <span className="diff-ghost-type">removed · {n.data.component_type.split('.').pop()}</span>
        </div>
      ))}
    </ViewportPortal>
  );
}
