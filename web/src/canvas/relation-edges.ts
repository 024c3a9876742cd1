// Read-only edges for relations Dagster reports that are no dependency: a check defined in one node on an asset of
// another (a defs/checks/ folder checking the assets of defs/assets/, as `dg list defs` lists them). Drawn from
// the last preview beside the graph's edges, never part of the graph: nothing is saved or written to the project.
import type { Asset, AssetCheck } from '@designer/shared';
import { useMemo } from 'react';
import { useDesignerShallow } from '../store';
import type { DesignerEdge } from '../store/graph-ops';

/** Ids of relation edges start with this: they are drawn, never stored (graph ops and saves never see them). */
export const RELATION_EDGE_PREFIX = 'relation:';

/** Dashed and muted with an open arrow, unlike a dependency's solid line and closed arrow. */
const RELATION_STYLE = { stroke: 'var(--muted)', strokeDasharray: '5 4', strokeWidth: 1.5 };

/**
 * One edge from each node that defines checks to each other node whose assets they check, labelled with how many
 * checks; a node checking its own assets gets none. Only nodes on the canvas (`nodeIds`) are linked.
 */
export function checkRelationEdges(
  nodeIds: ReadonlySet<string>,
  assets: ReadonlyArray<Pick<Asset, 'key' | 'nodeId'>>,
  checks: ReadonlyArray<Pick<AssetCheck, 'asset' | 'name' | 'nodeId'>>,
): DesignerEdge[] {
  const ownerOfKey = new Map<string, string>();
  for (const a of assets) if (a.nodeId) ownerOfKey.set(a.key, a.nodeId);
  const byPair = new Map<string, { source: string; target: string; names: string[] }>();
  for (const check of checks) {
    const source = check.nodeId;
    const target = ownerOfKey.get(check.asset);
    if (!source || !target || source === target || !nodeIds.has(source) || !nodeIds.has(target)) continue;
    const pair = `${source}\u0000${target}`;
    const entry = byPair.get(pair) ?? { source, target, names: [] };
    entry.names.push(check.name);
    byPair.set(pair, entry);
  }
  return [...byPair.values()]
    .sort((a, b) => (a.source + a.target).localeCompare(b.source + b.target))
    .map(({ source, target, names }) => ({
      id: `${RELATION_EDGE_PREFIX}checks:${source}:${target}`,
      source,
      target,
      type: 'smoothstep',
      className: 'relation-edge',
      label: names.length === 1 ? 'checks' : `${names.length} checks`,
      ariaLabel: `Checks of ${source} on ${target} (read-only): ${[...names].sort().join(', ')}`,
      data: { relation: 'checks', checks: [...names].sort() },
      style: RELATION_STYLE,
      labelStyle: { fill: 'var(--muted)', fontSize: 11 },
      labelBgStyle: { fill: 'var(--panel)' },
      markerEnd: { type: 'arrow', width: 16, height: 16, color: 'var(--muted)' },
      selectable: false,
      deletable: false,
      focusable: false,
      reconnectable: false,
    }));
}

/** The graph's edges and, after them, the read-only relations of the last preview. */
export function useWithRelationEdges(edges: DesignerEdge[]): DesignerEdge[] {
  const { nodes, assets, checks } = useDesignerShallow((s) => ({
    nodes: s.nodes,
    assets: s.preview.assets,
    checks: s.preview.definitions?.checks,
  }));
  // Recomputed when the node list or the preview changes, not on a drag (positions do not matter here).
  const nodeKey = nodes.map((n) => n.id).join('\u0000');
  const relations = useMemo(
    () => (checks?.length ? checkRelationEdges(new Set(nodeKey.split('\u0000')), assets, checks) : []),
    [nodeKey, assets, checks],
  );
  return useMemo(() => (relations.length ? [...edges, ...relations] : edges), [edges, relations]);
}
