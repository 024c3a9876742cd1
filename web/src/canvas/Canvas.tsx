// The React Flow canvas: drop components from the palette, connect them, select, move.
import {
  ConnectionLineType,
  Controls,
  MarkerType,
  ReactFlow,
  type Connection,
  type NodeTypes,
  type ReactFlowInstance,
  type Viewport,
  useNodesInitialized,
  useReactFlow,
  useStoreApi,
} from '@xyflow/react';
import { useCallback, useEffect, useRef } from 'react';
import { setFlowInstance } from '../store/flow-instance';
import { useCanvasMarks } from '../find/canvas-marks';
import { FindBar } from '../find/FindBar';
import { HistoryMarks } from '../history/HistoryMarks';
import { designerStore, useDesignerShallow } from '../store';
import type { DesignerEdge, DesignerNode } from '../store/graph-ops';
import { ComponentNode } from './nodes/ComponentNode';
import { PythonDefsNode } from './nodes/PythonDefsNode';
import { ScheduleNode } from './nodes/ScheduleNode';
import { GroupNode } from '../groups/GroupNode';
import { GroupSelectionBar } from '../groups/GroupSelectionBar';
import { applyGroupAwareNodeChanges, useGroupView } from '../groups/group-view';
import { openingViewport } from './opening-view';
import { revealViewport } from './reveal';
import { boxOf } from '../store/placement';
import { useWithRelationEdges } from './relation-edges';
import { MINIMAP_SIZE } from './fit-view';
import { DotsBackground } from './DotsBackground';
import { CanvasMiniMap } from './CanvasMiniMap';

export const DRAG_MIME = 'application/x-dagster-component';
// Defined once at module level, as React Flow requires for stable node types.
const nodeTypes: NodeTypes = {
  component: ComponentNode,
  python: PythonDefsNode,
  schedule: ScheduleNode,
  group: GroupNode,
};
const defaultEdgeOptions = {
  type: 'smoothstep',
  markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
};
const snapGrid: [number, number] = [16, 16];

/** Once the nodes a project opened with are measured, frames them all (see opening-view.ts). */
function FrameOnOpen({ saved }: { saved: Viewport | undefined }) {
  const measured = useNodesInitialized();
  const flow = useReactFlow<DesignerNode, DesignerEdge>();
  const store = useStoreApi();
  // Only the nodes there when the project opened: a first node added to an empty project keeps the view.
  const pending = useRef(designerStore.getState().nodes.length > 0);
  useEffect(() => {
    if (!pending.current || !measured) return;
    // After the panels around the canvas have taken their place: the canvas's own size, as laid out now.
    const frame = requestAnimationFrame(() => {
      pending.current = false;
      const pane = store.getState().domNode?.getBoundingClientRect();
      const bounds = flow.getNodesBounds(flow.getNodes());
      if (!pane || pane.width === 0 || pane.height === 0 || bounds.width === 0) return;
      void flow.setViewport(openingViewport(bounds, { width: pane.width, height: pane.height }, saved));
    });
    return () => cancelAnimationFrame(frame);
  }, [measured, flow, store, saved]);
  return null;
}

export function Canvas() {
  const { nodes, edges, groups, onNodesChange, onEdgesChange, theme } = useDesignerShallow((s) => ({
    nodes: s.nodes,
    edges: s.edges,
    groups: s.groups,
    onNodesChange: s.onNodesChange,
    onEdgesChange: s.onEdgesChange,
    theme: s.theme,
  }));
  // Find matches and a history diff, as classes on the marked nodes only.
  // Groups drawn as frames around their members, or as one box when collapsed (web/src/groups/group-view.ts).
  // Read-only relations of the last preview (checks, jobs, schedules, sensors → the nodes of their assets).
  const shownEdges = useWithRelationEdges(edges);
  const view = useGroupView(nodes, shownEdges, groups);
  const marks = useCanvasMarks(view.nodes, view.edges);
  const instance = useRef<ReactFlowInstance<DesignerNode, DesignerEdge> | null>(null);
  // The canvas is keyed by project, so the saved viewport is read once when a project opens.
  const initialViewport = useRef(designerStore.getState().viewport);
  // The view saved with this very project (an imported one has none; the store may still hold the last one's).
  const savedViewport = useRef(designerStore.getState().project?.graph.viewport);

  const onConnect = useCallback((c: Connection) => {
    const s = designerStore.getState();
    const problem = s.connectNodes(c.source, c.target);
    if (problem) s.toast('error', problem);
    else if (s.nodes.find((n) => n.id === c.target)?.type === 'python')
      // The designer never rewrites the user's Python: such an edge is a to-do, said at once and on the node.
      s.toast(
        'info',
        'This edge needs a code change: Python definitions get their dependencies from their code.',
        "Add the upstream asset keys to deps=[…] of the @asset functions in the node's Code tab; until then the preview shows it as a warning.",
      );
  }, []);

  const isValidConnection = useCallback((c: Connection | DesignerEdge) => c.source !== c.target, []);

  const onDrop = useCallback((event: React.DragEvent) => {
    event.preventDefault();
    const raw = event.dataTransfer.getData(DRAG_MIME);
    if (!raw || !instance.current) return;
    const component = JSON.parse(raw) as { type: string; name: string };
    const position = instance.current.screenToFlowPosition({ x: event.clientX - 110, y: event.clientY - 30 });
    const id = designerStore.getState().addComponent(component, position);
    // The free spot found for it may lie past the pane's edge (a drop near the top, the spot above taken): show it.
    const added = designerStore.getState().nodes.find((n) => n.id === id);
    const pane = (event.currentTarget as HTMLElement).getBoundingClientRect();
    if (added) {
      const current = instance.current.getViewport();
      const shown = revealViewport(current, boxOf(added), pane);
      if (shown !== current) void instance.current.setViewport(shown, { duration: 200 });
    }
  }, []);

  const onDragOver = useCallback((event: React.DragEvent) => {
    if (event.dataTransfer.types.includes(DRAG_MIME)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onMoveEnd = useCallback((_: unknown, v: Viewport) => {
    const current = designerStore.getState().viewport;
    if (current.x !== v.x || current.y !== v.y || current.zoom !== v.zoom)
      designerStore.getState().setViewport(v);
  }, []);

  return (
    <div className="canvas" onDrop={onDrop} onDragOver={onDragOver} data-testid="canvas">
      <ReactFlow<DesignerNode, DesignerEdge>
        nodes={marks.nodes}
        edges={marks.edges}
        className={marks.className}
        nodeTypes={nodeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        onNodesChange={groups.length ? applyGroupAwareNodeChanges : onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onNodeDragStart={() => designerStore.getState().beginDrag()}
        onMoveEnd={onMoveEnd}
        onInit={(flow) => {
          instance.current = flow;
          setFlowInstance(flow);
        }}
        defaultViewport={initialViewport.current}
        connectionLineType={ConnectionLineType.SmoothStep}
        snapToGrid
        snapGrid={snapGrid}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        selectionOnDrag={false}
        colorMode={theme}
        onlyRenderVisibleElements
        minZoom={0.05}
        proOptions={{ hideAttribution: true }}
      >
        <DotsBackground />
        <Controls showInteractive={false} />
        <CanvasMiniMap size={MINIMAP_SIZE} />
        <FrameOnOpen saved={savedViewport.current} />
        <FindBar />
        <GroupSelectionBar />
        <HistoryMarks />
      </ReactFlow>
      {nodes.length === 0 && (
        <div className="canvas-empty">
          <strong>Drag a component here</strong>
          <span>
            or pick one in the palette and press Enter. Connect the right handle of one component to the left
            handle of another to make it a dependency.
          </span>
        </div>
      )}
    </div>
  );
}
