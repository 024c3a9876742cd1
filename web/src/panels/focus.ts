// Brings a component into view and selects it (from a problem, an asset, a lineage group).
import { getFlowInstance } from '../commands/registry';
import { designerStore } from '../store';

export function focusNode(nodeId: string) {
  const s = designerStore.getState();
  s.selectOnly(nodeId);
  const node = s.nodes.find((n) => n.id === nodeId);
  if (node) void getFlowInstance()?.setCenter(node.position.x + 120, node.position.y + 40, { zoom: Math.max(getFlowInstance()?.getZoom() ?? 1, 0.8), duration: 300 });
}

