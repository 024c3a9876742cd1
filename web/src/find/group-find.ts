// Groups in Find: each group is one more entry, found by its name (and its Dagster group), so the view moves to
// its frame like to a node.
import { dagsterGroupName } from '@designer/shared';
import type { FindableNode } from './find-index';
import type { DesignerGroup, DesignerNode } from '../store/graph-ops';
import { framesOf } from '../groups/group-view';

export function groupFindables(
  nodes: readonly DesignerNode[],
  groups: readonly DesignerGroup[],
): FindableNode[] {
  if (groups.length === 0) return [];
  const frames = framesOf(nodes, groups);
  return groups.flatMap((g) => {
    const frame = frames.get(g.id);
    if (!frame) return [];
    return [
      {
        id: g.id,
        position: { x: frame.x, y: frame.y },
        data: {
          label: g.name,
          component_type: 'group',
          attributes: {},
          translation: { group_name: g.dagster_group ? dagsterGroupName(g.name) : g.name },
        },
      },
    ];
  });
}
