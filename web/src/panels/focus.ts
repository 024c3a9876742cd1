// Brings a component into view and selects it (from a problem, an asset, a lineage group).
import { getFlowInstance } from '../store/flow-instance';
import { designerStore } from '../store';

/**
 * Selects a component and brings it into view; with `field`, the property panel focuses that field; with
 * `section`, it opens that section (the YAML view of a managed defs.yaml).
 */
export function focusNode(nodeId: string, field?: string, section?: 'advanced') {
  const s = designerStore.getState();
  s.selectOnly(nodeId);
  s.setFocusField(field || section ? { nodeId, path: field ?? '', section } : null);
  const node = s.nodes.find((n) => n.id === nodeId);
  if (node)
    void getFlowInstance()?.setCenter(node.position.x + 120, node.position.y + 40, {
      zoom: Math.max(getFlowInstance()?.getZoom() ?? 1, 0.8),
      duration: 300,
    });
}
