import { describe, expect, it } from 'vitest';
import { validateGraph } from './graph.js';
import type { GraphNode, NodeGroup } from './project-file/schema.js';
import {
  insertSnippet,
  snippetOf,
  snippetProblem,
  summarizeSnippet,
  type InsertedGroup,
  type Snippet,
} from './snippets.js';

const script = (id: string, label: string, key = label, x = 0, y = 0): GraphNode => ({
  id,
  type: 'component',
  position: { x, y },
  data: {
    label,
    component_type: 'dagster.PythonScriptComponent',
    attributes: { assets: [{ key }], execution: { path: `${label}.py` } },
  },
});
const sql = (id: string, label: string, extra: Record<string, unknown> = {}, x = 300): GraphNode => ({
  id,
  type: 'component',
  position: { x, y: 40 },
  data: {
    label,
    component_type: 'dagster.TemplatedSqlComponent',
    attributes: { assets: [{ key: label }], sql_template: { path: `${label}.sql` }, ...extra },
  },
});
const snippet = (
  nodes: GraphNode[],
  edges: [string, string][] = [],
  files: Snippet['files'] = [],
): Snippet => ({
  format: 'dagster-designer-snippet',
  formatVersion: 1,
  name: 'piece',
  created_at: '2026-11-26T00:00:00Z',
  nodes,
  edges: edges.map(([source, target]) => ({ id: `${source}-${target}`, source, target })),
  files,
});
const ids = () => {
  let n = 0;
  return () => `new_${(n += 1)}`;
};

describe('insertSnippet', () => {
  const cases: {
    name: string;
    snippet: Snippet;
    existing: GraphNode[];
    takenFolders?: string[];
    labels: string[];
    attributes?: Record<string, unknown>[];
    edges?: [string, string][];
    files?: string[];
    renamed?: Array<{ from: string; to: string }>;
    keyCollisions?: string[];
  }[] = [
    {
      name: 'into an empty project: names kept, ids new, edges rewired',
      snippet: snippet(
        [script('a', 'load'), sql('b', 'report')],
        [['a', 'b']],
        [
          { node: 'a', path: 'load.py', content: 'print(1)\n' },
          { node: 'b', path: 'report.sql', content: 'select 1' },
        ],
      ),
      existing: [],
      labels: ['load', 'report'],
      edges: [['new_1', 'new_2']],
      files: ['new_1:load/load.py', 'new_2:report/report.sql'],
      renamed: [],
    },
    {
      name: 'a label taken: the default key, script and file follow the new label',
      snippet: snippet(
        [script('a', 'load')],
        [],
        [
          { node: 'a', path: 'load.py', content: 'x' },
          { node: 'a', path: 'helpers/util.py', content: 'y' },
        ],
      ),
      existing: [script('z', 'load')],
      labels: ['load_2'],
      attributes: [{ assets: [{ key: 'load_2' }], execution: { path: 'load_2.py' } }],
      files: ['new_1:load_2/load_2.py', 'new_1:load_2/helpers/util.py'],
      renamed: [{ from: 'load', to: 'load_2' }],
    },
    {
      name: "a user's own key and file name stay; the collision is reported",
      snippet: snippet([
        {
          ...script('a', 'load', 'raw/orders'),
          data: {
            ...script('a', 'load').data,
            attributes: { assets: [{ key: 'raw/orders' }], execution: { path: 'ingest.py' } },
          },
        },
      ]),
      existing: [script('z', 'load', 'raw/orders')],
      labels: ['load_2'],
      attributes: [{ assets: [{ key: 'raw/orders' }], execution: { path: 'ingest.py' } }],
      renamed: [{ from: 'load', to: 'load_2' }],
      keyCollisions: ['raw/orders'],
    },
    {
      name: 'deps and load_component references inside the snippet follow; outside ones stay',
      snippet: snippet(
        [
          script('a', 'load'),
          {
            ...sql('b', 'report', { connection: "{{ context.load_component('warehouse') }}" }),
            data: {
              ...sql('b', 'report').data,
              attributes: {
                assets: [{ key: 'report', deps: ['load', 'elsewhere'] }],
                sql_template: { path: 'report.sql' },
                connection: "{{ context.load_component('warehouse') }}",
                note: "{{ context.load_component('load') }}",
              },
            },
          },
        ],
        [['a', 'b']],
      ),
      existing: [script('x', 'load'), script('y', 'report')],
      labels: ['load_2', 'report_2'],
      attributes: [
        { assets: [{ key: 'load_2' }], execution: { path: 'load_2.py' } },
        {
          assets: [{ key: 'report_2', deps: ['load_2', 'elsewhere'] }],
          sql_template: { path: 'report_2.sql' },
          connection: "{{ context.load_component('warehouse') }}",
          note: "{{ context.load_component('load_2') }}",
        },
      ],
      edges: [['new_1', 'new_2']],
    },
    {
      name: 'renames never chain (a → a_2 while the snippet has a_2 → a_3)',
      snippet: snippet(
        [
          script('a', 'load'),
          {
            ...script('b', 'load_2'),
            data: {
              ...script('b', 'load_2').data,
              attributes: {
                assets: [{ key: 'load_2', deps: ['load'] }],
                execution: { path: 'load_2.py' },
                ref: "{{ context.load_component('load') }}",
              },
            },
          },
        ],
        [['a', 'b']],
        [
          { node: 'a', path: 'load.py', content: 'a' },
          { node: 'b', path: 'load_2.py', content: 'b' },
        ],
      ),
      existing: [script('x', 'load')],
      labels: ['load_2', 'load_3'],
      attributes: [
        { assets: [{ key: 'load_2' }], execution: { path: 'load_2.py' } },
        {
          assets: [{ key: 'load_3', deps: ['load_2'] }],
          execution: { path: 'load_3.py' },
          ref: "{{ context.load_component('load_2') }}",
        },
      ],
      files: ['new_1:load_2/load_2.py', 'new_2:load_3/load_3.py'],
      renamed: [
        { from: 'load', to: 'load_2' },
        { from: 'load_2', to: 'load_3' },
      ],
    },
    {
      name: 'a folder under defs/ that no node owns is taken too',
      snippet: snippet([script('a', 'assets')]),
      existing: [],
      takenFolders: ['assets'],
      labels: ['assets_2'],
    },
    {
      name: 'inserted twice: the second copy gets new names again',
      snippet: snippet([script('a', 'load'), script('b', 'load_2', 'load_2', 100)], [['a', 'b']]),
      existing: [script('x', 'load'), script('y', 'load_2')],
      labels: ['load_3', 'load_4'],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const out = insertSnippet(
        c.snippet,
        { nodes: c.existing, takenFolders: c.takenFolders },
        { at: { x: 0, y: 0 }, newId: ids() },
      );
      expect(out.nodes.map((n) => n.data.label)).toEqual(c.labels);
      if (c.attributes) expect(out.nodes.map((n) => n.data.attributes)).toEqual(c.attributes);
      if (c.edges) expect(out.edges.map((e) => [e.source, e.target])).toEqual(c.edges);
      if (c.files) expect(out.files.map((f) => `${f.nodeId}:${f.label}/${f.path}`)).toEqual(c.files);
      if (c.renamed) expect(out.renamed).toEqual(c.renamed);
      expect(out.keyCollisions).toEqual(c.keyCollisions ?? []);
      // Never a second owner of an existing label; the snippet itself is not changed.
      const existing = new Set(c.existing.map((n) => n.data.label));
      for (const n of out.nodes) expect(existing.has(n.data.label)).toBe(false);
      expect(JSON.stringify(c.snippet)).not.toContain('new_');
    });

  it('moves the snippet so its top-left node lands at the point asked, keeping the layout', () => {
    const out = insertSnippet(
      snippet([script('a', 'load', 'load', 500, 300), sql('b', 'report', {}, 800)]),
      { nodes: [] },
      { at: { x: 10, y: 20 }, newId: ids() },
    );
    expect(out.nodes.map((n) => n.position)).toEqual([
      { x: 10, y: 280 },
      { x: 310, y: 20 },
    ]);
  });
});

describe('snippetProblem', () => {
  const ok = snippet(
    [script('a', 'load'), sql('b', 'report')],
    [['a', 'b']],
    [{ node: 'a', path: 'load.py', content: 'x' }],
  );
  const cases: { name: string; snippet: Snippet; problem: RegExp | null }[] = [
    { name: 'a good snippet', snippet: ok, problem: null },
    { name: 'a bad name', snippet: { ...ok, name: 'Bad Name' }, problem: /snippet name/ },
    {
      name: 'a path climbing out',
      snippet: { ...ok, files: [{ node: 'a', path: '../../etc/passwd', content: 'x' }] },
      problem: /"\.\." part/,
    },
    {
      name: 'an absolute path',
      snippet: { ...ok, files: [{ node: 'a', path: '/etc/passwd', content: 'x' }] },
      problem: /relative/,
    },
    {
      name: 'a backslash',
      snippet: { ...ok, files: [{ node: 'a', path: 'a\\..\\x', content: 'x' }] },
      problem: /character/,
    },
    {
      name: 'a hidden file (.env)',
      snippet: { ...ok, files: [{ node: 'a', path: '.env', content: 'X=1' }] },
      problem: /hidden/,
    },
    {
      name: 'the defs.yaml the designer writes',
      snippet: { ...ok, files: [{ node: 'a', path: 'defs.yaml', content: 'type: x' }] },
      problem: /written by the designer/,
    },
    {
      name: 'a file of no node',
      snippet: { ...ok, files: [{ node: 'zz', path: 'x.py', content: 'x' }] },
      problem: /no node/,
    },
    {
      name: 'an edge leading outside',
      snippet: { ...ok, edges: [{ id: 'e', source: 'a', target: 'zz' }] },
      problem: /outside the snippet/,
    },
    {
      name: 'two nodes with one label',
      snippet: { ...ok, nodes: [script('a', 'load'), script('b', 'load')], edges: [] },
      problem: /used by two components/,
    },
    {
      name: 'too many bytes in files',
      snippet: {
        ...ok,
        files: Array.from({ length: 5 }, (_, i) => ({
          node: 'a',
          path: `f${i}.sql`,
          content: 'x'.repeat(250_000),
        })),
      },
      problem: /at most/,
    },
    {
      name: 'plain Python definitions',
      snippet: { ...ok, nodes: [{ ...script('a', 'load'), type: 'python' }], edges: [], files: [] },
      problem: /plain Python/,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const problem = snippetProblem(c.snippet);
      if (c.problem === null) expect(problem).toBeNull();
      else expect(problem).toMatch(c.problem);
    });
});

describe('snippetOf', () => {
  it('keeps the chosen nodes and only the edges between them, without where they were defined', () => {
    const a = {
      ...script('a', 'load'),
      data: { ...script('a', 'load').data, defined_at: { path: 'x/defs.yaml', document: 1 } },
    };
    const s = snippetOf(
      {
        nodes: [a, sql('b', 'report'), script('c', 'other')],
        edges: [
          { id: 'e1', source: 'a', target: 'b' },
          { id: 'e2', source: 'b', target: 'c' },
        ],
      },
      ['a', 'b'],
      { name: 'piece', created_at: 'now' },
    );
    expect(s.nodes.map((n) => n.data.label)).toEqual(['load', 'report']);
    expect(s.nodes[0]!.data.defined_at).toBeUndefined();
    expect(s.edges).toEqual([{ id: 'e1', source: 'a', target: 'b' }]);
    expect(snippetProblem(s)).toBeNull();
  });
});

describe('groups in snippets', () => {
  const grouped = (g: Partial<NodeGroup> & { members: string[] }): NodeGroup => ({
    id: 'g1',
    name: 'Raw ingest',
    color: 'blue',
    ...g,
  });
  const withGroupName = (node: GraphNode, group_name: string): GraphNode => ({
    ...node,
    data: { ...node.data, translation: { group_name } },
  });
  const graph = {
    nodes: [script('a', 'load'), sql('b', 'report'), script('c', 'other')],
    edges: [
      { id: 'e1', source: 'a', target: 'b' },
      { id: 'e2', source: 'b', target: 'c' },
    ],
  };
  const saveCases: { name: string; groups: NodeGroup[]; picked: string[]; kept: string[] }[] = [
    {
      name: 'a whole group goes with its members',
      groups: [grouped({ members: ['a', 'b'] })],
      picked: ['a', 'b'],
      kept: ['Raw ingest'],
    },
    {
      name: 'a whole group among other nodes goes too',
      groups: [grouped({ members: ['a'] })],
      picked: ['a', 'b', 'c'],
      kept: ['Raw ingest'],
    },
    {
      name: 'part of a group is nodes only',
      groups: [grouped({ members: ['a', 'b', 'c'] })],
      picked: ['a', 'b'],
      kept: [],
    },
    {
      name: 'of two groups, only the one wholly picked',
      groups: [grouped({ members: ['a'] }), grouped({ id: 'g2', name: 'Other', members: ['b', 'c'] })],
      picked: ['a', 'b'],
      kept: ['Raw ingest'],
    },
  ];
  for (const c of saveCases)
    it(`saving: ${c.name}`, () => {
      const s = snippetOf({ ...graph, groups: c.groups }, c.picked, { name: 'piece', created_at: 'now' });
      expect((s.groups ?? []).map((g) => g.name)).toEqual(c.kept);
      expect(snippetProblem(s)).toBeNull();
      expect(summarizeSnippet(s).groups ?? []).toEqual(c.kept);
    });

  const insertCases: {
    name: string;
    snippet: Snippet;
    existingGroups?: NodeGroup[];
    existing?: GraphNode[];
    groups: Array<Pick<InsertedGroup, 'id' | 'name' | 'members'> & Partial<InsertedGroup>>;
    groupNames?: Array<string | undefined>;
  }[] = [
    {
      name: 'into an empty project: the group again, around the new nodes, with a new id',
      snippet: {
        ...snippet([script('a', 'load'), sql('b', 'report')], [['a', 'b']]),
        groups: [grouped({ members: ['a', 'b'], color: 'green', collapsed: true })],
      },
      groups: [
        {
          id: 'group_new_1',
          name: 'Raw ingest',
          members: ['new_1', 'new_2'],
          color: 'green',
          collapsed: true,
        },
      ],
    },
    {
      name: 'a group name the project has: the next free one',
      snippet: { ...snippet([script('a', 'load')]), groups: [grouped({ members: ['a'] })] },
      existingGroups: [grouped({ id: 'old', members: ['x'] })],
      existing: [script('x', 'x')],
      groups: [{ id: 'group_new_1', name: 'Raw ingest 2', members: ['new_1'], renamedFrom: 'Raw ingest' }],
    },
    {
      name: "renamed, a group that sets its members' Dagster group takes them to the new name",
      snippet: {
        ...snippet([
          withGroupName(script('a', 'load'), 'raw_ingest'),
          withGroupName(script('b', 'two'), 'mine'),
        ]),
        groups: [grouped({ members: ['a', 'b'], dagster_group: true })],
      },
      existingGroups: [grouped({ id: 'old', members: ['x'] })],
      existing: [script('x', 'x')],
      groups: [
        {
          id: 'group_new_1',
          name: 'Raw ingest 2',
          members: ['new_1', 'new_2'],
          dagster_group: true,
          renamedFrom: 'Raw ingest',
        },
      ],
      // Only where it still said the group's Dagster name.
      groupNames: ['raw_ingest_2', 'mine'],
    },
    {
      name: 'two groups, one named as the other was renamed to: names stay unique',
      snippet: {
        ...snippet([script('a', 'load'), script('b', 'two')]),
        groups: [grouped({ members: ['a'] }), grouped({ id: 'g2', name: 'Raw ingest 2', members: ['b'] })],
      },
      existingGroups: [grouped({ id: 'old', members: ['x'] })],
      existing: [script('x', 'x')],
      groups: [
        { id: 'group_new_1', name: 'Raw ingest 2', members: ['new_1'], renamedFrom: 'Raw ingest' },
        { id: 'group_new_2', name: 'Raw ingest 3', members: ['new_2'], renamedFrom: 'Raw ingest 2' },
      ],
    },
    {
      name: 'a snippet saved before groups: none',
      snippet: snippet([script('a', 'load')]),
      groups: [],
    },
  ];
  for (const c of insertCases)
    it(`inserting: ${c.name}`, () => {
      expect(snippetProblem(c.snippet)).toBeNull();
      const out = insertSnippet(
        c.snippet,
        { nodes: c.existing ?? [], groups: c.existingGroups },
        { at: { x: 0, y: 0 }, newId: ids() },
      );
      expect(out.groups).toEqual(c.groups.map((g) => expect.objectContaining(g)));
      if (c.groupNames) expect(out.nodes.map((n) => n.data.translation?.group_name)).toEqual(c.groupNames);
      // The project with the insertion is a valid graph (ids, members, names).
      const nodes = [...(c.existing ?? []), ...out.nodes];
      const groups = [...(c.existingGroups ?? []), ...out.groups.map(({ renamedFrom: _r, ...g }) => g)];
      expect(validateGraph({ nodes, edges: out.edges, groups })).toEqual([]);
      expect(new Set(groups.map((g) => g.name)).size).toBe(groups.length);
    });

  it('refuses a group with a member outside the snippet', () => {
    expect(
      snippetProblem({ ...snippet([script('a', 'load')]), groups: [grouped({ members: ['a', 'zz'] })] }),
    ).toMatch(/zz/);
  });
});
