// Read-only edges for relations Dagster reports that are no dependency: a check defined in one node on an asset of
// another (a defs/checks/ folder checking the assets of defs/assets/, as `dg list defs` lists them), and a job,
// schedule or sensor defined in one node that materializes the assets of others (its job's asset selection, from
// the preview). Drawn from the last preview beside the graph's edges, never part of the graph: nothing is saved
// or written to the project.
import type { Asset, AssetCheck, Job, Schedule, Sensor } from '@designer/shared';
import { useMemo, useState } from 'react';
import { useDesignerShallow } from '../store';
import type { DesignerEdge, DesignerNode } from '../store/graph-ops';

/** Ids of relation edges start with this: they are drawn, never stored (graph ops and saves never see them). */
export const RELATION_EDGE_PREFIX = 'relation:';

/** Dashed and muted with an open arrow, unlike a dependency's solid line and closed arrow. */
const RELATION_STYLE = { stroke: 'var(--muted)', strokeDasharray: '5 4', strokeWidth: 1.5 };

type Targeting = Pick<Job, 'name' | 'asset_keys' | 'nodeId'>;
export interface RelationSources {
  assets: ReadonlyArray<Pick<Asset, 'key' | 'nodeId'>>;
  checks?: ReadonlyArray<Pick<AssetCheck, 'asset' | 'name' | 'nodeId'>>;
  jobs?: ReadonlyArray<Targeting>;
  schedules?: ReadonlyArray<Pick<Schedule, 'name' | 'asset_keys' | 'nodeId'>>;
  sensors?: ReadonlyArray<Pick<Sensor, 'name' | 'asset_keys' | 'nodeId'>>;
}

type Relation = 'checks' | 'targets';
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * One edge per relation from a node to each other node it relates to: its checks on that node's assets ("checks",
 * "2 checks"), and its jobs, schedules and sensors that materialize that node's assets ("1 job · 2 schedules").
 * A node relating to itself gets none, and neither does a pair the graph already links (`linked`, "source\0target":
 * a designer schedule node's edges to its targets). Only nodes on the canvas (`nodeIds`) are linked.
 */
export function relationEdges(
  nodeIds: ReadonlySet<string>,
  defs: RelationSources,
  linked: ReadonlySet<string> = new Set(),
): DesignerEdge[] {
  const ownerOfKey = new Map<string, string>();
  for (const a of defs.assets) if (a.nodeId) ownerOfKey.set(a.key, a.nodeId);
  const found = new Map<string, { source: string; target: string; relation: Relation; names: string[][] }>();
  const add = (
    relation: Relation,
    kind: number,
    source: string | undefined,
    keys: readonly string[],
    name: string,
  ) => {
    if (!source || !nodeIds.has(source)) return;
    for (const target of new Set(keys.map((k) => ownerOfKey.get(k)))) {
      if (!target || target === source || !nodeIds.has(target)) continue;
      if (relation === 'targets' && linked.has(`${source}\u0000${target}`)) continue;
      const id = `${RELATION_EDGE_PREFIX}${relation}:${source}:${target}`;
      const entry = found.get(id) ?? { source, target, relation, names: [[], [], []] };
      entry.names[kind]!.push(name);
      found.set(id, entry);
    }
  };
  for (const c of defs.checks ?? []) add('checks', 0, c.nodeId, [c.asset], c.name);
  for (const j of defs.jobs ?? []) add('targets', 0, j.nodeId, j.asset_keys ?? [], j.name);
  for (const s of defs.schedules ?? []) add('targets', 1, s.nodeId, s.asset_keys ?? [], s.name);
  for (const s of defs.sensors ?? []) add('targets', 2, s.nodeId, s.asset_keys ?? [], s.name);
  return [...found.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, { source, target, relation, names }]) => {
      const [first, schedules, sensors] = names.map((n) => [...n].sort()) as [string[], string[], string[]];
      const label =
        relation === 'checks'
          ? first.length === 1
            ? 'checks'
            : `${first.length} checks`
          : [
              first.length && plural(first.length, 'job'),
              schedules.length && plural(schedules.length, 'schedule'),
              sensors.length && plural(sensors.length, 'sensor'),
            ]
              .filter(Boolean)
              .join(' · ');
      const all = [...first, ...schedules, ...sensors];
      return {
        id,
        source,
        target,
        type: 'smoothstep',
        className: `relation-edge relation-${relation}`,
        label,
        ariaLabel: `${relation === 'checks' ? 'Checks' : 'Materialized by'} (read-only, from the preview): ${all.join(', ')}`,
        data: { relation, names: all },
        style: RELATION_STYLE,
        labelStyle: { fill: 'var(--muted)', fontSize: 11 },
        labelBgStyle: { fill: 'var(--panel)' },
        markerEnd: { type: 'arrow', width: 16, height: 16, color: 'var(--muted)' },
        selectable: false,
        deletable: false,
        focusable: false,
        reconnectable: false,
      } satisfies DesignerEdge;
    });
}

/**
 * A memo for a store selector: the node list as first seen with these ids in this order, so a drag step's new array
 * (the same nodes moved) gives back the old one; compared id by id, with nothing joined or allocated.
 */
export function sameIdsMemo<N extends { id: string }>(): (nodes: readonly N[]) => readonly N[] {
  let last: readonly N[] | null = null;
  return (nodes) => {
    if (last !== null && last.length === nodes.length && last.every((n, i) => n.id === nodes[i]!.id))
      return last;
    last = nodes;
    return last;
  };
}

/** The graph's edges and, after them, the read-only relations of the last preview. */
export function useWithRelationEdges(edges: DesignerEdge[]): DesignerEdge[] {
  // Recomputed when the node list, the edges or the preview change, not on a drag (positions do not matter): the
  // node list is compared id by id, not joined into a key on every step.
  const [sameIds] = useState(sameIdsMemo<DesignerNode>);
  const { nodes, assets, definitions } = useDesignerShallow((s) => ({
    nodes: sameIds(s.nodes),
    assets: s.preview.assets,
    definitions: s.preview.definitions,
  }));
  const relations = useMemo(() => {
    if (!definitions) return [];
    const linked = new Set(edges.map((e) => `${e.source}\u0000${e.target}`));
    return relationEdges(new Set(nodes.map((n) => n.id)), { assets, ...definitions }, linked);
  }, [nodes, edges, assets, definitions]);
  return useMemo(() => (relations.length ? [...edges, ...relations] : edges), [edges, relations]);
}
