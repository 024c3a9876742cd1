import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { diffGraphs, summarizeDiff } from './graph-diff.js';
import { validateGraph } from './graph.js';
import {
  collapsedEdgeEnds,
  createGroup,
  dagsterGroupName,
  groupIssues,
  nextGroupColor,
  nextGroupName,
  pruneGroups,
  withMembersGroupName,
} from './groups.js';
import { migrateProjectFile } from './project-file/migrations.js';
import { Graph, ProjectFile, type GraphNode, type NodeGroup } from './project-file/schema.js';

const node = (
  id: string,
  type: GraphNode['type'] = 'component',
  translation?: Record<string, unknown>,
): GraphNode => ({
  id,
  type,
  position: { x: 0, y: 0 },
  data: {
    label: id,
    component_type: 'dagster.PythonScriptComponent',
    attributes: {},
    ...(translation ? { translation } : {}),
  },
});
const group = (id: string, members: string[], extra: Partial<NodeGroup> = {}): NodeGroup => ({
  id,
  name: id.toUpperCase(),
  color: 'blue',
  members,
  ...extra,
});
const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, target });

describe('dagsterGroupName', () => {
  const rows: [string, string][] = [
    ['Raw ingest', 'raw_ingest'],
    ['Sales/EU', 'sales_eu'],
    ['  Déjà vu!! ', 'deja_vu'],
    ['already_fine_1', 'already_fine_1'],
    ['***', 'group'],
    ['A  --  B', 'a_b'],
  ];
  it.each(rows)('%j → %j', (name, expected) => {
    expect(dagsterGroupName(name)).toBe(expected);
    // Dagster 1.13's rule for a group name segment (validate_group_name).
    expect(dagsterGroupName(name)).toMatch(/^[A-Za-z0-9_]+$/);
  });
});

describe('groupIssues (and validateGraph)', () => {
  const nodes = [node('a'), node('b'), node('c')];
  const rows: { name: string; groups: NodeGroup[]; codes: string[] }[] = [
    { name: 'no groups', groups: [], codes: [] },
    { name: 'two fine groups', groups: [group('g1', ['a', 'b']), group('g2', ['c'])], codes: [] },
    { name: 'a member that does not exist', groups: [group('g1', ['a', 'x'])], codes: ['unknown_member'] },
    {
      name: 'a node in two groups',
      groups: [group('g1', ['a', 'b']), group('g2', ['b'])],
      codes: ['member_twice'],
    },
    {
      name: 'a group id used twice',
      groups: [group('g1', ['a']), group('g1', ['b'])],
      codes: ['duplicate_group_id'],
    },
    { name: 'a group id that is a node id', groups: [group('a', ['b'])], codes: ['group_id_taken'] },
    { name: 'a blank name', groups: [group('g1', ['a'], { name: '  ' })], codes: ['blank_group_name'] },
  ];
  it.each(rows)('$name', ({ groups, codes }) => {
    expect(groupIssues(nodes, groups).map((i) => i.code)).toEqual(codes);
    const graphCodes = validateGraph({ nodes, edges: [], groups }).map((i) => i.code);
    expect(graphCodes).toEqual(codes.map(() => 'invalid_group'));
  });
});

describe('createGroup / pruneGroups', () => {
  const init = { id: 'new', name: 'New', color: 'green' as const };
  const rows: { name: string; before: NodeGroup[]; members: string[]; after: [string, string[]][] }[] = [
    { name: 'into no group', before: [], members: ['a', 'b'], after: [['new', ['a', 'b']]] },
    {
      name: 'members leave their old group',
      before: [group('g1', ['a', 'b', 'c'])],
      members: ['b', 'c'],
      after: [
        ['g1', ['a']],
        ['new', ['b', 'c']],
      ],
    },
    {
      name: 'an old group left empty is gone',
      before: [group('g1', ['a'])],
      members: ['a', 'b', 'a'],
      after: [['new', ['a', 'b']]],
    },
  ];
  it.each(rows)('$name', ({ before, members, after }) => {
    expect(createGroup(before, members, init).map((g) => [g.id, g.members])).toEqual(after);
  });

  it('prunes removed nodes, drops empty groups, and keeps the same array when nothing is gone', () => {
    const groups = [group('g1', ['a', 'b']), group('g2', ['c'])];
    expect(pruneGroups(groups, new Set(['a', 'b', 'c']))).toBe(groups);
    expect(pruneGroups(groups, new Set(['a']))).toEqual([group('g1', ['a'])]);
  });

  it('picks a name and a colour no group has yet', () => {
    expect(nextGroupName([])).toBe('Group');
    expect(
      nextGroupName([group('g', ['a'], { name: 'Group' }), group('h', ['b'], { name: 'Group 2' })]),
    ).toBe('Group 3');
    expect(nextGroupColor([group('g', ['a'], { color: 'blue' })])).toBe('green');
  });
});

describe('withMembersGroupName', () => {
  const nodes = [
    node('a'),
    node('b', 'component', { group_name: 'old', key_prefix: 'raw' }),
    node('py', 'python'),
    node('sched', 'schedule'),
    node('out'),
  ];
  const members = ['a', 'b', 'py', 'sched'];
  const groupNames = (ns: readonly GraphNode[]) => ns.map((n) => n.data.translation?.group_name ?? null);
  const rows: { name: string; to: string | null; from?: string; expected: (string | null)[] }[] = [
    // Python definitions are the user's code and a schedule has no assets: only components take it.
    { name: 'set on component members only', to: 'ingest', expected: ['ingest', 'ingest', null, null, null] },
    {
      name: 'a rename follows where the old name stands',
      to: 'new',
      from: 'old',
      expected: [null, 'new', null, null, null],
    },
    { name: 'cleared', to: null, expected: [null, null, null, null, null] },
  ];
  it.each(rows)('$name', ({ to, from, expected }) => {
    const out = withMembersGroupName(nodes, members, to, from);
    expect(groupNames(out)).toEqual(expected);
    // Other translation fields stay.
    expect(out[1]!.data.translation?.key_prefix).toBe('raw');
  });
  it('answers the same array when nothing changes', () => {
    const once = withMembersGroupName(nodes, members, 'ingest');
    expect(withMembersGroupName(once, members, 'ingest')).toBe(once);
  });
});

describe('collapsedEdgeEnds', () => {
  // a, b in G (collapsed); c, d in H; x, y outside.
  const rows: {
    name: string;
    edges: ReturnType<typeof edge>[];
    hCollapsed: boolean;
    expected: Record<string, [string, string, boolean]>;
  }[] = [
    {
      name: 'an outside edge into a member goes to the box',
      edges: [edge('x', 'a')],
      hCollapsed: false,
      expected: { 'x-a': ['x', 'G', false] },
    },
    {
      name: 'an edge out of a member leaves from the box',
      edges: [edge('b', 'y')],
      hCollapsed: false,
      expected: { 'b-y': ['G', 'y', false] },
    },
    {
      name: 'an edge inside the collapsed group is hidden',
      edges: [edge('a', 'b')],
      hCollapsed: false,
      expected: { 'a-b': ['G', 'G', true] },
    },
    {
      name: 'two members into one outside node: drawn once',
      edges: [edge('a', 'y'), edge('b', 'y')],
      hCollapsed: false,
      expected: { 'a-y': ['G', 'y', false], 'b-y': ['G', 'y', true] },
    },
    {
      name: 'between two collapsed groups: box to box',
      edges: [edge('a', 'c')],
      hCollapsed: true,
      expected: { 'a-c': ['G', 'H', false] },
    },
    {
      name: 'into an expanded group: unchanged',
      edges: [edge('x', 'c'), edge('x', 'y')],
      hCollapsed: false,
      expected: {},
    },
  ];
  it.each(rows)('$name', ({ edges, hCollapsed, expected }) => {
    const groups = [
      group('G', ['a', 'b'], { collapsed: true }),
      group('H', ['c', 'd'], { collapsed: hCollapsed }),
    ];
    const out = collapsedEdgeEnds(edges, groups);
    expect(Object.fromEntries([...out].map(([id, e]) => [id, [e.source, e.target, e.hidden]]))).toEqual(
      expected,
    );
  });
});

describe('groups in the project file and its history', () => {
  const base = { nodes: [node('a'), node('b')], edges: [edge('a', 'b')] };
  it('a format-3 file without groups and one with groups are both valid; no migration is needed', () => {
    const file = {
      formatVersion: 3,
      id: '6f1c1c7e-8a43-4d5e-9b53-1d2f4b0a7c11',
      name: 'P',
      package_name: 'p',
      version: 1,
      graph: base,
      created_at: 'x',
      updated_at: 'x',
      git_branch: 'main',
    };
    expect(Value.Check(ProjectFile, migrateProjectFile(file))).toBe(true);
    const grouped = {
      ...file,
      graph: { ...base, groups: [group('g1', ['a', 'b'], { dagster_group: true })] },
    };
    expect(Value.Check(ProjectFile, migrateProjectFile(grouped))).toBe(true);
    expect(Value.Check(Graph, { ...base, groups: [{ ...group('g1', ['a']), color: 'pink' }] })).toBe(false);
    expect(Value.Check(Graph, { ...base, groups: [group('g1', [])] })).toBe(false);
  });

  const rows: { name: string; before: NodeGroup[]; after: NodeGroup[]; summary: string }[] = [
    { name: 'a group added', before: [], after: [group('g1', ['a', 'b'])], summary: 'added group G1' },
    { name: 'a group removed', before: [group('g1', ['a'])], after: [], summary: 'removed group G1' },
    {
      name: 'a group collapsed',
      before: [group('g1', ['a'])],
      after: [group('g1', ['a'], { collapsed: true })],
      summary: 'edited group G1',
    },
    {
      name: 'unchanged',
      before: [group('g1', ['a'])],
      after: [group('g1', ['a'])],
      summary: 'no change to the graph',
    },
  ];
  it.each(rows)('diff: $name', ({ before, after, summary }) => {
    expect(summarizeDiff(diffGraphs({ ...base, groups: before }, { ...base, groups: after }))).toBe(summary);
  });
  it('diff of graphs saved before groups existed', () => {
    expect(summarizeDiff(diffGraphs(base, base))).toBe('no change to the graph');
  });
});
