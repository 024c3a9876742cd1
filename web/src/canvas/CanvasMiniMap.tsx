// The canvas's minimap: React Flow's <MiniMap> (same place, size, colours, mask; drag in it to pan, wheel to
// zoom) with all the nodes drawn as one path, recomputed when the nodes change and not when the view moves. React
// Flow's draws a <rect> per node, each with its own store subscription: at 1,000 nodes every drag step ran 1,000
// selectors and repainted 1,000 rects (README "Performance", issue 18). Geometry in minimap-geometry.ts.
import { Panel, useReactFlow, useStore, useStoreApi, type ReactFlowState } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { boxesPath, maskPath, minimapView, unionOf, type Box } from './minimap-geometry';

const nodesOf = (s: ReactFlowState) => s.nodes;
const transformOf = (s: ReactFlowState) => s.transform;
const widthOf = (s: ReactFlowState) => s.width;
const heightOf = (s: ReactFlowState) => s.height;
/** React Flow's defaults: node corner radius and the margin around the shown box, in minimap pixels. */
const RADIUS = 5;
const OFFSET_SCALE = 5;

/**
 * The nodes the minimap draws: the flow's, at most every DRAWN_EVERY ms while they change (each step of a drag
 * gives new ones; the overview follows a moment later instead of being drawn again 60 times a second).
 */
const DRAWN_EVERY = 150;
function useDrawnNodes<T>(nodes: T): T {
  const [drawn, setDrawn] = useState(nodes);
  const latest = useRef(nodes);
  latest.current = nodes;
  const timer = useRef(0);
  useEffect(() => {
    if (nodes === drawn || timer.current) return;
    timer.current = window.setTimeout(() => {
      timer.current = 0;
      setDrawn(latest.current);
    }, DRAWN_EVERY);
  }, [nodes, drawn]);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return drawn;
}

export function CanvasMiniMap({ size }: { size: { width: number; height: number } }) {
  const store = useStoreApi();
  const flow = useReactFlow();
  const nodes = useDrawnNodes(useStore(nodesOf));
  const [tx, ty, zoom] = useStore(transformOf);
  const paneWidth = useStore(widthOf);
  const paneHeight = useStore(heightOf);
  // Where each node is drawn (absolute, for members of a group), as React Flow's minimap: hidden or unmeasured
  // nodes are left out.
  const boxes = useMemo(() => {
    const lookup = store.getState().nodeLookup;
    const out: Box[] = [];
    for (const node of nodes) {
      if (node.hidden) continue;
      const width = node.measured?.width ?? node.width ?? node.initialWidth ?? 0;
      const height = node.measured?.height ?? node.height ?? node.initialHeight ?? 0;
      if (!(width > 0 && height > 0)) continue;
      const at = lookup.get(node.id)?.internals.positionAbsolute ?? node.position;
      out.push({ x: at.x, y: at.y, width, height });
    }
    return out;
  }, [nodes, store]);
  const nodesBox = useMemo(() => unionOf(boxes), [boxes]);
  const visible = { x: -tx / zoom, y: -ty / zoom, width: paneWidth / zoom, height: paneHeight / zoom };
  const shown = nodesBox ? unionOf([nodesBox, visible])! : visible;
  const view = minimapView(shown, size, OFFSET_SCALE);
  // Corners under half a minimap pixel are not drawn (a big graph): a path of plain rectangles is quicker to lay out.
  const radius = RADIUS / view.scale >= 0.5 ? RADIUS : 0;
  const nodesPath = useMemo(() => boxesPath(boxes, radius), [boxes, radius]);
  const offset = OFFSET_SCALE * view.scale;

  // Drag inside the minimap to move the view (as React Flow's `pannable`), wheel to zoom (`zoomable`).
  const scale = useRef(view.scale);
  scale.current = view.scale;
  const svg = useRef<SVGSVGElement>(null);
  useEffect(() => {
    const element = svg.current;
    if (!element) return;
    let last: { x: number; y: number } | null = null;
    const down = (e: PointerEvent) => {
      if (e.button !== 0) return;
      element.setPointerCapture(e.pointerId);
      last = { x: e.clientX, y: e.clientY };
    };
    const move = (e: PointerEvent) => {
      if (!last) return;
      const [x, y, z] = store.getState().transform;
      const k = scale.current * z;
      void flow.setViewport({ x: x - (e.clientX - last.x) * k, y: y - (e.clientY - last.y) * k, zoom: z });
      last = { x: e.clientX, y: e.clientY };
    };
    const up = (e: PointerEvent) => {
      if (!last) return;
      last = null;
      if (element.hasPointerCapture(e.pointerId)) element.releasePointerCapture(e.pointerId);
      // The view's end of move, which saves it with the project (Canvas's onMoveEnd reads the store).
      const [x, y, z] = store.getState().transform;
      store.getState().onMoveEnd?.(e, { x, y, zoom: z });
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      e.stopPropagation();
      const delta = -e.deltaY * (e.deltaMode === 1 ? 0.05 : e.deltaMode ? 1 : 0.002);
      void flow.zoomTo(store.getState().transform[2] * Math.pow(2, delta));
    };
    element.addEventListener('pointerdown', down);
    element.addEventListener('pointermove', move);
    element.addEventListener('pointerup', up);
    element.addEventListener('pointercancel', up);
    element.addEventListener('wheel', wheel, { passive: false });
    return () => {
      element.removeEventListener('pointerdown', down);
      element.removeEventListener('pointermove', move);
      element.removeEventListener('pointerup', up);
      element.removeEventListener('pointercancel', up);
      element.removeEventListener('wheel', wheel);
    };
  }, [flow, store]);

  return (
    <Panel
      position="bottom-right"
      className="react-flow__minimap nowheel nopan"
      data-testid="rf__minimap"
      style={{ ...size, ['--xy-minimap-node-stroke-width-props' as string]: 3 }}
    >
      <svg
        ref={svg}
        width={size.width}
        height={size.height}
        viewBox={`${view.x} ${view.y} ${view.width} ${view.height}`}
        className="react-flow__minimap-svg"
        role="img"
        aria-labelledby="canvas-minimap-title"
      >
        <title id="canvas-minimap-title">Mini Map</title>
        <path className="react-flow__minimap-node" d={nodesPath} />
        <path
          className="react-flow__minimap-mask"
          d={maskPath(view, visible, offset)}
          fillRule="evenodd"
          pointerEvents="none"
        />
      </svg>
    </Panel>
  );
}
