// How each node's managed defs are computed from the graph (with its upstream nodes' asset keys), the same for
// a sync and for adopting imported files.
import { createHash } from 'node:crypto';
import {
  buildManagedDefs,
  buildScheduleDefs,
  declaredAssetKeys,
  type GraphNode,
  type ManagedDefs,
  type Problem,
  type ProjectFile,
} from '@designer/shared';
import type { CatalogService } from '../catalog.js';
import { dbtEdgesAsTranslation } from '../dbt-project.js';
import { ownDataHash, type SyncState } from './state.js';

export interface PlannedDefs {
  defs: ManagedDefs;
  problems: Problem[];
  hash: string;
}

/** `keysOf` is null for an upstream whose keys are not known yet. */
export async function planner(catalog: CatalogService, project: ProjectFile, root: string, state: SyncState) {
  const byId = new Map(project.graph.nodes.map((n) => [n.id, n]));
  // An edge out of a schedule names what it runs, never a dependency: a schedule's "upstream" are its targets.
  const isSchedule = (id: string) => byId.get(id)?.type === 'schedule';
  const upstreamOf = (id: string) =>
    isSchedule(id)
      ? project.graph.edges.filter((e) => e.source === id).map((e) => e.target)
      : project.graph.edges.filter((e) => e.target === id && !isSchedule(e.source)).map((e) => e.source);
  const keysOf = (id: string): string[] | null => {
    const node = byId.get(id);
    if (!node) return null;
    // Keys learned before the node changed (a dbt translation's key prefix…) are unknown: sync inspects again.
    const learned = state.assetsFrom?.[id] === ownDataHash(node) ? state.assets[id] : undefined;
    return declaredAssetKeys(node) ?? learned ?? null;
  };
  const { entries } = await catalog
    .list(root)
    .catch(() => ({ entries: [] as Array<{ type: string; schema: Record<string, unknown> }> }));
  const hasTranslation = (type: string) =>
    Boolean(
      (entries.find((e) => e.type === type)?.schema as { properties?: Record<string, unknown> } | undefined)
        ?.properties?.translation,
    );
  const plan = (node: GraphNode): PlannedDefs => {
    const upstreamKeys = [...new Set(upstreamOf(node.id).flatMap((u) => keysOf(u) ?? []))];
    const built =
      node.type === 'schedule'
        ? buildScheduleDefs(node, upstreamKeys)
        : buildManagedDefs(node, upstreamKeys, {
            hasTranslationAttribute: hasTranslation(node.data.component_type),
          });
    // dbt takes its edges through translation, so the run plan orders them (see dbtEdgesAsTranslation).
    const { problems } = built;
    const defs = dbtEdgesAsTranslation(built.defs);
    return {
      defs,
      problems,
      hash: createHash('sha256').update(JSON.stringify(defs)).digest('hex').slice(0, 16),
    };
  };
  return { upstreamOf, keysOf, plan, entries };
}
