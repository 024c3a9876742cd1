// Pure operations on the canvas graph's groups: each takes a graph and returns a new one. The store applies them
// as one undo step (`applyGraph`); the rules shared with the server are in shared/src/groups.ts.
import {
  createGroup,
  dagsterGroupName,
  nextGroupColor,
  nextGroupName,
  withMembersGroupName,
  type GroupColor,
} from '@designer/shared';
import {
  withGroupSelection,
  type DesignerGroup,
  type DesignerNode,
  type GraphState,
} from '../store/graph-ops';

type WithGroups = { nodes: DesignerNode[]; edges: GraphState['edges']; groups?: DesignerGroup[] };

/** The selected nodes (and the members of selected groups) in a new group, which is selected; null if none. */
export function groupSelection(state: WithGroups, id: string): { state: GraphState; id: string } | null {
  const selected = withGroupSelection(state)
    .nodes.filter((n) => n.selected)
    .map((n) => n.id);
  if (selected.length === 0) return null;
  const groups = state.groups ?? [];
  const created = createGroup(groups, selected, {
    id,
    name: nextGroupName(groups),
    color: nextGroupColor(groups),
  }) as DesignerGroup[];
  return {
    id,
    state: {
      nodes: state.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
      edges: state.edges,
      groups: created.map((g) =>
        g.id === id ? { ...g, selected: true } : g.selected ? { ...g, selected: false } : g,
      ),
    },
  };
}

function patchGroup(state: WithGroups, id: string, patch: (g: DesignerGroup) => DesignerGroup): GraphState {
  return {
    nodes: state.nodes,
    edges: state.edges,
    groups: (state.groups ?? []).map((g) => (g.id === id ? patch(g) : g)),
  };
}

/** The group goes, its members stay where they are (their Dagster group too, unless the group set it). */
export function ungroup(state: WithGroups, id: string): GraphState {
  const group = state.groups?.find((g) => g.id === id);
  if (!group) return { nodes: state.nodes, edges: state.edges };
  const nodes = group.dagster_group
    ? [...withMembersGroupName(state.nodes, group.members, null, dagsterGroupName(group.name))]
    : state.nodes;
  return {
    nodes: nodes.map((n) => (group.members.includes(n.id) && !n.selected ? { ...n, selected: true } : n)),
    edges: state.edges,
    groups: (state.groups ?? []).filter((g) => g.id !== id),
  };
}

/** Collapsed, the members are hidden and no longer selected (a Delete then takes only what is seen). */
export function setCollapsed(state: WithGroups, id: string, collapsed: boolean): GraphState {
  const members = new Set(state.groups?.find((g) => g.id === id)?.members ?? []);
  const nodes = collapsed
    ? state.nodes.map((n) => (n.selected && members.has(n.id) ? { ...n, selected: false } : n))
    : state.nodes;
  return patchGroup({ ...state, nodes }, id, ({ collapsed: _was, ...g }) =>
    collapsed ? { ...g, collapsed } : g,
  );
}

export function recolorGroup(state: WithGroups, id: string, color: GroupColor): GraphState {
  return patchGroup(state, id, (g) => ({ ...g, color }));
}

/** A new name; when the group sets its members' Dagster group, their `group_name` follows. */
export function renameGroup(state: WithGroups, id: string, name: string): GraphState {
  const group = state.groups?.find((g) => g.id === id);
  const trimmed = name.trim();
  if (!group || trimmed === '' || trimmed === group.name) return { nodes: state.nodes, edges: state.edges };
  const nodes = group.dagster_group
    ? [
        ...withMembersGroupName(
          state.nodes,
          group.members,
          dagsterGroupName(trimmed),
          dagsterGroupName(group.name),
        ),
      ]
    : state.nodes;
  return { ...patchGroup({ ...state, nodes }, id, (g) => ({ ...g, name: trimmed })) };
}

/**
 * "Set Dagster group for members": each component member's `translation.group_name` becomes the group's Dagster
 * name (on), or loses it where it still says so (off). Sync writes it as any translation field.
 */
export function setDagsterGroup(state: WithGroups, id: string, on: boolean): GraphState {
  const group = state.groups?.find((g) => g.id === id);
  if (!group) return { nodes: state.nodes, edges: state.edges };
  const name = dagsterGroupName(group.name);
  const nodes = on
    ? withMembersGroupName(state.nodes, group.members, name)
    : withMembersGroupName(state.nodes, group.members, null, name);
  return patchGroup({ ...state, nodes: [...nodes] }, id, ({ dagster_group: _was, ...g }) =>
    on ? { ...g, dagster_group: true } : g,
  );
}
