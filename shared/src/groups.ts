// Groups on the canvas (issue 18): a named, coloured frame around nodes, collapsible into one box. Pure rules
// shared by the canvas (grouping, collapsing, the Dagster group of the members) and the server (refusing a bad save).
import { GROUP_COLORS, type GroupColor, type NodeGroup } from './project-file/schema.js';

export interface GroupIssue {
  code: 'duplicate_group_id' | 'group_id_taken' | 'unknown_member' | 'member_twice' | 'blank_group_name';
  message: string;
  groupId: string;
  nodeId?: string;
}

interface NodeLike {
  id: string;
  type?: string;
  data: { translation?: Record<string, unknown> };
}

/**
 * The Dagster asset group a group's name stands for: Dagster 1.13 accepts `[A-Za-z0-9_]+` segments
 * (`validate_group_name`), so "Raw ingest" → `raw_ingest`, "Sales/EU" → `sales_eu`.
 */
export function dagsterGroupName(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/_{2,}/g, '_');
  return base === '' ? 'group' : base.slice(0, 100);
}

/** Node id → the group holding it. */
export function groupOfNode(groups: readonly NodeGroup[]): Map<string, NodeGroup> {
  const map = new Map<string, NodeGroup>();
  for (const g of groups) for (const m of g.members) if (!map.has(m)) map.set(m, g);
  return map;
}

/** What is wrong with a graph's groups: ids shared with nodes or other groups, unknown or shared members. */
export function groupIssues(nodes: readonly { id: string }[], groups: readonly NodeGroup[]): GroupIssue[] {
  const issues: GroupIssue[] = [];
  const nodeIds = new Set(nodes.map((n) => n.id));
  const groupIds = new Set<string>();
  const owner = new Map<string, string>();
  for (const g of groups) {
    if (groupIds.has(g.id))
      issues.push({
        code: 'duplicate_group_id',
        message: `Group id "${g.id}" is used twice.`,
        groupId: g.id,
      });
    else if (nodeIds.has(g.id))
      // The canvas draws a group as a node: one id for both would mix them up.
      issues.push({
        code: 'group_id_taken',
        message: `Group id "${g.id}" is also a node's id.`,
        groupId: g.id,
      });
    groupIds.add(g.id);
    if (g.name.trim() === '')
      issues.push({ code: 'blank_group_name', message: 'A group needs a name.', groupId: g.id });
    for (const m of g.members) {
      if (!nodeIds.has(m))
        issues.push({
          code: 'unknown_member',
          message: `Group "${g.name}" holds node "${m}", which does not exist.`,
          groupId: g.id,
          nodeId: m,
        });
      const other = owner.get(m);
      if (other !== undefined)
        issues.push({
          code: 'member_twice',
          message: `Node "${m}" is in two groups ("${other}" and "${g.name}"); a node belongs to one group at most.`,
          groupId: g.id,
          nodeId: m,
        });
      else owner.set(m, g.name);
    }
  }
  return issues;
}

/**
 * A new group of `members` (in the order given, duplicates dropped). Members leave the group they were in; a
 * group left with no member is gone.
 */
export function createGroup(
  groups: readonly NodeGroup[],
  members: readonly string[],
  init: { id: string; name: string; color: GroupColor },
): NodeGroup[] {
  const taken = new Set(members);
  const rest = groups
    .map((g) =>
      g.members.some((m) => taken.has(m)) ? { ...g, members: g.members.filter((m) => !taken.has(m)) } : g,
    )
    .filter((g) => g.members.length > 0);
  return [...rest, { id: init.id, name: init.name, color: init.color, members: [...taken] }];
}

/** Groups without the nodes that are gone; the same array when nothing changed (so stores can compare). */
export function pruneGroups<G extends NodeGroup>(
  groups: readonly G[],
  nodeIds: ReadonlySet<string>,
): readonly G[] {
  if (groups.every((g) => g.members.every((m) => nodeIds.has(m)))) return groups;
  return groups
    .map((g) =>
      g.members.every((m) => nodeIds.has(m)) ? g : { ...g, members: g.members.filter((m) => nodeIds.has(m)) },
    )
    .filter((g) => g.members.length > 0);
}

/** The first colour the fewest groups use, so groups made one after another differ. */
export function nextGroupColor(groups: readonly NodeGroup[]): GroupColor {
  const uses = new Map<GroupColor, number>(GROUP_COLORS.map((c) => [c, 0]));
  for (const g of groups) uses.set(g.color, (uses.get(g.color) ?? 0) + 1);
  let best: GroupColor = GROUP_COLORS[0];
  for (const c of GROUP_COLORS) if (uses.get(c)! < uses.get(best)!) best = c;
  return best;
}

/** "Group", "Group 2", … : the first name no group has. */
export function nextGroupName(groups: readonly NodeGroup[], base = 'Group'): string {
  const names = new Set(groups.map((g) => g.name));
  if (!names.has(base)) return base;
  for (let i = 2; ; i += 1) if (!names.has(`${base} ${i}`)) return `${base} ${i}`;
}

/** Only Dagster components carry a translation: Python definitions are the user's code, a schedule has no assets. */
const carriesGroupName = (n: NodeLike) => n.type === undefined || n.type === 'component';

/**
 * The members' Dagster asset group follows the group: `translation.group_name` set to `dagsterGroupName(name)` on
 * each component member (`from`: only where it still says `from`, e.g. the old name after a rename). Sync writes it
 * on each declared asset or as a `target: "*"` rule, as any translation field. The same array when nothing changes.
 */
export function withMembersGroupName<N extends NodeLike>(
  nodes: readonly N[],
  members: readonly string[],
  groupName: string | null,
  from?: string,
): readonly N[] {
  const ids = new Set(members);
  let changed = false;
  const out = nodes.map((n) => {
    if (!ids.has(n.id) || !carriesGroupName(n)) return n;
    const current = n.data.translation?.group_name;
    if (from !== undefined && current !== from) return n;
    if (groupName === null ? current === undefined : current === groupName) return n;
    const translation = { ...(n.data.translation ?? {}) };
    if (groupName === null) delete translation.group_name;
    else translation.group_name = groupName;
    changed = true;
    return { ...n, data: { ...n.data, translation } };
  });
  return changed ? out : nodes;
}

export interface EdgeEnds {
  source: string;
  target: string;
  /** An edge inside one collapsed group, or a second edge between the same two boxes. */
  hidden: boolean;
}

/**
 * How edges are drawn while groups are collapsed: an end inside a collapsed group moves to the group's box; an
 * edge with both ends in the same collapsed group is hidden, and so are repeats of an edge already drawn between
 * the same two boxes. Only the edges that change are in the answer.
 */
export function collapsedEdgeEnds(
  edges: readonly { id: string; source: string; target: string }[],
  groups: readonly NodeGroup[],
): Map<string, EdgeEnds> {
  const out = new Map<string, EdgeEnds>();
  const box = new Map<string, string>();
  for (const g of groups) if (g.collapsed) for (const m of g.members) if (!box.has(m)) box.set(m, g.id);
  if (box.size === 0) return out;
  const drawn = new Set<string>();
  for (const e of edges)
    if (!box.has(e.source) && !box.has(e.target)) drawn.add(`${e.source}\u0000${e.target}`);
  for (const e of edges) {
    const source = box.get(e.source) ?? e.source;
    const target = box.get(e.target) ?? e.target;
    if (source === e.source && target === e.target) continue;
    const pair = `${source}\u0000${target}`;
    const hidden = source === target || drawn.has(pair);
    drawn.add(pair);
    out.set(e.id, { source, target, hidden });
  }
  return out;
}
