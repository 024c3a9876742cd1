// The asset graph of the last preview: assets grouped by the component that defines them, laid out by ELK;
// an asset with checks carries a mark with how many (and how many block downstream runs).
import type { Asset, AssetCheck } from '@designer/shared';
import {
  Background,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  ReactFlowProvider,
  type Edge,
  type Node,
  type NodeProps,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import { memo, useEffect, useRef, useState } from 'react';
import { layoutGroups } from '../canvas/layout';
import { openingViewport } from '../canvas/opening-view';
import { useDesigner } from '../store';
import { focusNode } from './focus';

const ASSET_SIZE = { width: 200, height: 44 };
/** The drawing's 11 px names need about this zoom to be read. */
const LINEAGE_READABLE_ZOOM = 0.9;
const EXTERNAL = '__external__';

type AssetNodeData = { asset: Asset; checks: AssetCheck[] };
type GroupNodeData = { label: string; nodeId?: string };

const AssetNode = memo(function AssetNode({ data }: NodeProps<Node<AssetNodeData>>) {
  return (
    <div className="lineage-asset" title={data.asset.description}>
      <Handle type="target" position={Position.Left} isConnectable={false} className="lineage-handle" />
      <Handle type="source" position={Position.Right} isConnectable={false} className="lineage-handle" />
      <div className="mono">
        {data.asset.key}
        {data.checks.length > 0 && (
          <span
            className="lineage-checks"
            data-testid={`lineage-checks-${data.asset.key}`}
            title={`${data.checks.length} check${data.checks.length === 1 ? '' : 's'}, not run yet:\n${data.checks
              .map((c) => `${c.name}${c.blocking ? ' (blocking)' : ''}`)
              .join('\n')}`}
          >
            ○ {data.checks.length} check{data.checks.length === 1 ? '' : 's'}
          </span>
        )}
      </div>
      {(data.asset.kinds?.length ?? 0) > 0 && (
        <div className="muted small">{data.asset.kinds!.join(', ')}</div>
      )}
    </div>
  );
});

const GroupNode = memo(function GroupNode({ data }: NodeProps<Node<GroupNodeData>>) {
  return (
    <div
      className="lineage-group"
      onDoubleClick={() => data.nodeId && focusNode(data.nodeId)}
      title="Double-click to select the component"
    >
      <span>{data.label}</span>
    </div>
  );
});

const nodeTypes = { asset: AssetNode, group: GroupNode };

export function buildLineage(assets: readonly Asset[], labelOf: (nodeId: string) => string | undefined) {
  const keys = new Set(assets.map((a) => a.key));
  const byGroup = new Map<string, Asset[]>();
  for (const a of assets) {
    const group = a.nodeId ?? EXTERNAL;
    byGroup.set(group, [...(byGroup.get(group) ?? []), a]);
  }
  const edges = assets.flatMap((a) =>
    a.deps.filter((d) => keys.has(d)).map((d) => ({ id: `${d}->${a.key}`, source: d, target: a.key })),
  );
  const groups = [...byGroup.entries()].map(([id, list]) => ({
    id,
    label: id === EXTERNAL ? 'Not from a component' : (labelOf(id) ?? id),
    assets: list,
  }));
  return { groups, edges };
}

/**
 * Frames the drawing at a zoom where the names can be read (whole when it fits, else from its top-left, where the
 * lineage starts): React Flow's plain fitView shrank a dbt project to unreadable specks in the bottom panel.
 */
function FrameLineage({ box, expanded }: { box: React.RefObject<HTMLDivElement | null>; expanded: boolean }) {
  // The drawing is not controlled through onNodesChange, so React Flow's own useNodesInitialized never turns true.
  const measured = useStore(
    (s) => s.nodeLookup.size > 0 && [...s.nodeLookup.values()].every((n) => (n.measured.width ?? 0) > 0),
  );
  const flow = useReactFlow();
  useEffect(() => {
    if (!measured || !box.current) return;
    const { width, height } = box.current.getBoundingClientRect();
    const bounds = flow.getNodesBounds(flow.getNodes().filter((n) => !n.parentId));
    if (width > 0 && height > 0 && bounds.width > 0)
      void flow.setViewport(
        openingViewport(bounds, { width, height }, undefined, LINEAGE_READABLE_ZOOM, { minimap: false }),
      );
  }, [measured, expanded, flow, box]);
  return null;
}

function Lineage() {
  const assets = useDesigner((s) => s.preview.assets);
  const checks = useDesigner((s) => s.preview.definitions?.checks);
  const designNodes = useDesigner((s) => s.nodes);
  const theme = useDesigner((s) => s.theme);
  const [graph, setGraph] = useState<{ nodes: Node[]; edges: Edge[] } | null>(null);
  const [expanded, setExpanded] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!expanded) return;
    const close = (e: KeyboardEvent) => e.key === 'Escape' && setExpanded(false);
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [expanded]);

  useEffect(() => {
    let live = true;
    const labels = new Map(designNodes.map((n) => [n.id, n.data.label]));
    const { groups, edges } = buildLineage(assets, (id) => labels.get(id));
    void layoutGroups(
      groups.map((g) => ({
        id: `group:${g.id}`,
        children: g.assets.map((a) => ({ id: a.key, ...ASSET_SIZE })),
      })),
      edges,
    ).then((layout) => {
      if (!live) return;
      const nodes: Node[] = [];
      for (const g of groups) {
        const box = layout.groups[`group:${g.id}`]!;
        nodes.push({
          id: `group:${g.id}`,
          type: 'group',
          position: { x: box.x, y: box.y },
          style: { width: box.width, height: box.height },
          data: { label: g.label, nodeId: g.id === EXTERNAL ? undefined : g.id },
          selectable: false,
          draggable: false,
        });
        for (const a of g.assets)
          nodes.push({
            id: a.key,
            type: 'asset',
            parentId: `group:${g.id}`,
            extent: 'parent',
            position: layout.children[a.key]!,
            data: { asset: a, checks: (checks ?? []).filter((c) => c.asset === a.key) },
            draggable: false,
          });
      }
      setGraph({
        nodes,
        edges: edges.map((e) => ({ ...e, type: 'smoothstep', markerEnd: { type: MarkerType.ArrowClosed } })),
      });
    });
    return () => {
      live = false;
    };
  }, [assets, checks, designNodes]);

  if (!graph)
    return (
      <div className="muted pad">
        <span className="spinner" /> Laying out the asset graph…
      </div>
    );
  return (
    <div
      className={`lineage${expanded ? ' expanded' : ''}`}
      data-testid="lineage"
      ref={box}
      role={expanded ? 'dialog' : undefined}
      aria-label={expanded ? 'Asset lineage' : undefined}
    >
      <button
        className="lineage-expand"
        onClick={() => setExpanded(!expanded)}
        title={expanded ? 'Back to the panel (Esc)' : 'Show the lineage over the whole window'}
      >
        {expanded ? 'Close ✕' : 'Expand ⤢'}
      </button>
      <ReactFlow
        nodes={graph.nodes}
        edges={graph.edges}
        nodeTypes={nodeTypes}
        colorMode={theme}
        nodesConnectable={false}
        proOptions={{ hideAttribution: true }}
        minZoom={0.05}
      >
        <Background gap={16} size={1} />
        <Controls showInteractive={false} />
        <FrameLineage box={box} expanded={expanded} />
      </ReactFlow>
    </div>
  );
}

export function AssetLineage() {
  return (
    <ReactFlowProvider>
      <Lineage />
    </ReactFlowProvider>
  );
}
