// The canvas bench's reference (bench/canvas.ts): React Flow alone, as its documentation sets a canvas up (dot
// grid, minimap, controls, onlyRenderVisibleElements), with the bench's graph and a find box that dims what does
// not match as the designer's Find does. The bench runs the same gestures on it in the same browser, so the
// designer's figures read against what the library itself costs on the machine. Not part of the app's build.
import { createRoot } from 'react-dom/client';
import { useMemo, useState } from 'react';
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  type Edge,
  type Node,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';

interface BenchGraph {
  nodes: Array<{ id: string; position: { x: number; y: number }; data: { label: string } }>;
  edges: Array<{ id: string; source: string; target: string }>;
  viewport: { x: number; y: number; zoom: number };
}
const graph = (window as unknown as { __benchGraph: BenchGraph }).__benchGraph;
const nodes: Node[] = graph.nodes.map((n) => ({
  id: n.id,
  position: n.position,
  data: { label: n.data.label },
  style: { width: 240, height: 64 },
}));
const edges: Edge[] = graph.edges;

function Reference() {
  const [query, setQuery] = useState('');
  const matchCss = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return '';
    const ids = graph.nodes.filter((n) => n.data.label.toLowerCase().includes(q)).map((n) => n.id);
    if (ids.length === 0) return '';
    const list = ids.map((id) => `[data-id="${id}"]`).join(',');
    return `.react-flow__node:is(${list}){opacity:1;outline:2px solid #4f6bed;outline-offset:3px}`;
  }, [query]);
  return (
    <div style={{ height: '100%' }} className={query.trim() ? 'finding' : ''}>
      <style>{`.finding .react-flow__node{opacity:.25}.finding .react-flow__edge-path{stroke:#e4e4e8}${matchCss}`}</style>
      <input
        className="find"
        type="search"
        aria-label="Find"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        style={{ position: 'absolute', zIndex: 10, left: '40%', top: 12, width: 320 }}
      />
      <ReactFlow
        defaultNodes={nodes}
        defaultEdges={edges}
        defaultViewport={graph.viewport}
        onlyRenderVisibleElements
        minZoom={0.05}
      >
        <Background variant={BackgroundVariant.Dots} />
        <MiniMap />
        <Controls />
      </ReactFlow>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<Reference />);
