// Snippets (issue 18): a reusable piece of a graph (nodes, the edges between them, the files in their folders),
// kept in the data folder, exported as one small JSON file, and inserted into any project. `insertSnippet` is the
// pure part of an insertion: fresh ids, unique labels, the designer's defaults (key, script name) following the new
// label, references and deps between the snippet's own nodes rewired. A group whose members all go into a snippet
// goes with them, and inserting the snippet makes the group again.
import { Type, type Static } from '@sinclair/typebox';
import { declaredAssetKeys, followRename, followRenamedKeys } from './defs-mapping.js';
import { labelProblem, LABEL_PATTERN, MAX_LABEL_LENGTH, pathProblem, uniqueLabel } from './names.js';
import { validateGraph } from './graph.js';
import { dagsterGroupName, nextGroupName, withMembersGroupName } from './groups.js';
import { GraphEdge, GraphNode, NodeGroup, Position } from './project-file/schema.js';

export const SNIPPET_FORMAT = 'dagster-designer-snippet';
export const SNIPPET_FORMAT_VERSION = 1;
/** An exported snippet file (and an import body) is at most this big. */
export const MAX_SNIPPET_BYTES = 2 * 1024 * 1024;
/** Each file a snippet carries, and all of them together. */
export const MAX_SNIPPET_FILE_BYTES = 256 * 1024;
export const MAX_SNIPPET_FILES_BYTES = 1024 * 1024;
export const MAX_SNIPPET_FILES = 200;
export const MAX_SNIPPET_NODES = 200;

export const SnippetName = Type.String({ pattern: LABEL_PATTERN.source, maxLength: MAX_LABEL_LENGTH });

/** A file of a snippet node: its path relative to the node's folder (where its defs.yaml is). */
export const SnippetFile = Type.Object(
  {
    node: Type.String({ minLength: 1, maxLength: 100 }),
    path: Type.String({ minLength: 1, maxLength: 500 }),
    content: Type.String({ maxLength: MAX_SNIPPET_FILE_BYTES }),
  },
  { additionalProperties: false },
);

export const Snippet = Type.Object(
  {
    format: Type.Literal(SNIPPET_FORMAT),
    formatVersion: Type.Literal(SNIPPET_FORMAT_VERSION),
    name: SnippetName,
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    created_at: Type.String({ maxLength: 40 }),
    nodes: Type.Array(GraphNode, { minItems: 1, maxItems: MAX_SNIPPET_NODES }),
    edges: Type.Array(GraphEdge, { maxItems: MAX_SNIPPET_NODES * 10 }),
    files: Type.Array(SnippetFile, { maxItems: MAX_SNIPPET_FILES }),
    /** Groups of the snippet's nodes (all their members in the snippet); absent in snippets saved before groups. */
    groups: Type.Optional(Type.Array(NodeGroup, { maxItems: MAX_SNIPPET_NODES })),
  },
  { additionalProperties: false },
);

export const SnippetSummary = Type.Object({
  name: Type.String(),
  description: Type.Optional(Type.String()),
  created_at: Type.String(),
  nodes: Type.Array(Type.Object({ label: Type.String(), component_type: Type.String() })),
  edgeCount: Type.Integer(),
  files: Type.Array(Type.String({ description: '<node label>/<path>' })),
  groups: Type.Optional(Type.Array(Type.String({ description: 'group name' }))),
});

export const SaveSnippetBody = Type.Object(
  {
    name: SnippetName,
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    nodes: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
      minItems: 1,
      maxItems: MAX_SNIPPET_NODES,
    }),
    overwrite: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const SavedSnippet = Type.Object({
  snippet: SnippetSummary,
  /** What the snippet leaves out (files outside a node's folder, plain Python nodes), in plain words. */
  warnings: Type.Array(Type.String()),
});

export const InsertSnippetBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'the current project version (stale → 409)' }),
    position: Type.Optional(Position),
  },
  { additionalProperties: false },
);

export const InsertedSnippet = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  updated_at: Type.String(),
  /** The new nodes' ids, in the snippet's order. */
  nodes: Type.Array(Type.String()),
  /** Workspace-relative files written. */
  files: Type.Array(Type.String()),
  /** Labels that had to change (`from`, `to`) because the project already used them. */
  renamed: Type.Array(Type.Object({ from: Type.String(), to: Type.String() })),
  warnings: Type.Array(Type.String()),
});

export type Snippet = Static<typeof Snippet>;
export type SnippetFile = Static<typeof SnippetFile>;
export type SnippetSummary = Static<typeof SnippetSummary>;
export type SaveSnippetBody = Static<typeof SaveSnippetBody>;
export type SavedSnippet = Static<typeof SavedSnippet>;
export type InsertSnippetBody = Static<typeof InsertSnippetBody>;
export type InsertedSnippet = Static<typeof InsertedSnippet>;

/** Why a snippet (read from disk or imported) cannot be used, or null. Its shape is checked by the schema first. */
export function snippetProblem(snippet: Snippet): string | null {
  const name = labelProblem(snippet.name);
  if (name) return `The snippet name "${snippet.name}" ${name}.`;
  const ids = new Set(snippet.nodes.map((n) => n.id));
  for (const node of snippet.nodes) {
    if (node.type === 'python')
      return `${node.data.label} is plain Python definitions: a snippet holds components and schedules only.`;
  }
  for (const edge of snippet.edges)
    if (!ids.has(edge.source) || !ids.has(edge.target))
      return `The edge ${edge.source} → ${edge.target} leads outside the snippet.`;
  const issues = validateGraph({ nodes: snippet.nodes, edges: snippet.edges, groups: snippet.groups ?? [] });
  if (issues.length > 0) return issues[0]!.message;
  let total = 0;
  const seen = new Set<string>();
  for (const file of snippet.files) {
    if (!ids.has(file.node)) return `The file ${file.path} belongs to no node of the snippet.`;
    const problem = pathProblem(file.path);
    if (problem) return `The file path "${file.path.slice(0, 120)}" ${problem}.`;
    if (file.path.split('/').some((part) => part.startsWith('.')))
      return `The file path "${file.path.slice(0, 120)}" has a hidden part (starting with ".").`;
    if (/^defs\.ya?ml$/.test(file.path))
      return `${file.path} is written by the designer from the node; a snippet does not carry it.`;
    if (file.content.includes('\u0000')) return `${file.path} is not a text file.`;
    const key = `${file.node}\u0000${file.path}`;
    if (seen.has(key)) return `The file ${file.path} is listed twice for one node.`;
    seen.add(key);
    total += utf8Length(file.content);
  }
  if (total > MAX_SNIPPET_FILES_BYTES)
    return `The snippet's files hold ${total} bytes; at most ${MAX_SNIPPET_FILES_BYTES} are allowed.`;
  return null;
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      n += 4;
      i += 1;
    } else n += 3;
  }
  return n;
}

export interface InsertTarget {
  /** The project's nodes now. */
  nodes: ReadonlyArray<Pick<GraphNode, 'id' | 'data'>>;
  /** The project's groups now (a snippet's group takes a name none of them has). */
  groups?: readonly NodeGroup[];
  /** Other names a new node may not take (folders under defs/ that hold files of no node). */
  takenFolders?: Iterable<string>;
}

export interface InsertOptions {
  /** Where the snippet's top-left node lands (its other nodes keep their places relative to it). */
  at: { x: number; y: number };
  /** A fresh node id (called once per node, in the snippet's order). */
  newId: () => string;
}

export interface InsertedGroup extends NodeGroup {
  /** The name in the snippet, when the project had a group of that name already. */
  renamedFrom?: string;
}

export interface Insertion {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** The snippet's groups, of the new nodes, each with a fresh id (`group_<its first member's id>`). */
  groups: InsertedGroup[];
  /** Files to write, relative to the new node's folder (`defs/<label>/`). */
  files: Array<{ nodeId: string; label: string; path: string; content: string }>;
  renamed: Array<{ from: string; to: string }>;
  /** Asset keys the new nodes declare that nodes of the project declare too (set by hand: left as they are). */
  keyCollisions: string[];
}

const LOAD_COMPONENT = /(load_component\(\s*['"])([a-z][a-z0-9_]*)(['"]\s*\))/g;

/** Renames `load_component('<label>')` references through `renames`, all at once (a → a_2 and a_2 → a_3 do not chain). */
function renameReferences(
  attributes: Record<string, unknown>,
  renames: ReadonlyMap<string, string>,
): Record<string, unknown> {
  if (renames.size === 0) return attributes;
  const text = JSON.stringify(attributes);
  const next = text.replace(LOAD_COMPONENT, (whole, open: string, label: string, close: string) =>
    renames.has(label) ? `${open}${renames.get(label)!}${close}` : whole,
  );
  return next === text ? attributes : (JSON.parse(next) as Record<string, unknown>);
}

/** The path of a script or SQL file a node names, per field (what `followRename` may move). */
function filePaths(attributes: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of ['execution', 'sql_template'] as const) {
    const holder = attributes[field];
    if (typeof holder === 'object' && holder !== null && !Array.isArray(holder)) {
      const p = (holder as Record<string, unknown>).path;
      if (typeof p === 'string') out[field] = p;
    }
  }
  return out;
}

/**
 * The nodes, edges and files that inserting `snippet` into a project adds. Labels the project (or a folder under
 * defs/) already uses get the next free `<label>_N`; where the designer's defaults were kept (an asset key equal to
 * the label, a script `<label>.py`, a SQL file `<label>.sql`) they follow the new label, the file too; references
 * between the snippet's nodes (`load_component('<label>')`, deps on a renamed key) follow; references to nodes
 * outside the snippet stay as they are. Positions move so the snippet's top-left node is at `at`.
 */
export function insertSnippet(snippet: Snippet, target: InsertTarget, options: InsertOptions): Insertion {
  const taken = new Set<string>(target.nodes.map((n) => n.data.label));
  for (const folder of target.takenFolders ?? []) taken.add(folder);
  const labels = new Map<string, string>(); // old label → new
  for (const node of snippet.nodes) {
    const label = uniqueLabel(node.data.label, taken);
    taken.add(label);
    labels.set(node.data.label, label);
  }
  const renames = new Map([...labels].filter(([from, to]) => from !== to));
  const minX = Math.min(...snippet.nodes.map((n) => n.position.x));
  const minY = Math.min(...snippet.nodes.map((n) => n.position.y));
  const ids = new Map<string, string>();
  const keyRenames = new Map<string, string>();
  const moved = new Map<string, Map<string, string>>(); // node id → old file path → new
  const nodes = snippet.nodes.map((node): GraphNode => {
    const id = options.newId();
    ids.set(node.id, id);
    const label = labels.get(node.data.label)!;
    const before = node.data.attributes;
    const after = followRename(before, node.data.label, label);
    const keysBefore = declaredAssetKeys(node) ?? [];
    const keysAfter = declaredAssetKeys({ data: { ...node.data, attributes: after } }) ?? [];
    keysBefore.forEach((key, i) => {
      if (keysAfter[i] !== undefined && keysAfter[i] !== key) keyRenames.set(key, keysAfter[i]!);
    });
    const pathsBefore = filePaths(before);
    const pathsAfter = filePaths(after);
    const files = new Map<string, string>();
    for (const [field, p] of Object.entries(pathsBefore))
      if (pathsAfter[field] !== undefined && pathsAfter[field] !== p) files.set(p, pathsAfter[field]!);
    moved.set(node.id, files);
    const data: GraphNode['data'] = { ...structuredClone(node.data), label, attributes: after };
    delete data.defined_at; // a new component in its own folder, never a second owner of a shared file
    return {
      id,
      type: node.type,
      position: { x: node.position.x - minX + options.at.x, y: node.position.y - minY + options.at.y },
      data,
    };
  });
  // References between the snippet's own nodes follow their renames (all at once, so they never chain).
  for (const node of nodes) {
    let attributes = renameReferences(node.data.attributes, renames);
    attributes = followRenamedKeys(attributes, keyRenames);
    node.data.attributes = attributes;
  }
  // Groups come back around the new nodes, under a name no group of the project has; where the group set its
  // members' Dagster group, the members follow a new name.
  const groupNames: NodeGroup[] = [...(target.groups ?? [])];
  const groups = (snippet.groups ?? []).flatMap((g): InsertedGroup[] => {
    if (g.members.length === 0) return [];
    const members = g.members.map((m) => ids.get(m)!);
    const name = groupNames.some((other) => other.name === g.name)
      ? nextGroupName(groupNames, g.name.replace(/ \d+$/, ''))
      : g.name;
    const group: InsertedGroup = { ...structuredClone(g), id: `group_${members[0]!}`, name, members };
    if (name !== g.name) {
      group.renamedFrom = g.name;
      if (g.dagster_group) {
        const renamedNodes = withMembersGroupName(
          nodes,
          members,
          dagsterGroupName(name),
          dagsterGroupName(g.name),
        );
        nodes.splice(0, nodes.length, ...renamedNodes);
      }
    }
    groupNames.push(group);
    return [group];
  });
  const edges = snippet.edges.map((e): GraphEdge => {
    const source = ids.get(e.source)!;
    const target = ids.get(e.target)!;
    return { id: `e_${source}__${target}`, source, target };
  });
  const files = snippet.files.map((f) => {
    const nodeId = ids.get(f.node)!;
    const node = nodes.find((n) => n.id === nodeId)!;
    return {
      nodeId,
      label: node.data.label,
      path: moved.get(f.node)?.get(f.path) ?? f.path,
      content: f.content,
    };
  });
  const existingKeys = new Set(
    target.nodes.flatMap((n) => declaredAssetKeys(n as Pick<GraphNode, 'data'>) ?? []),
  );
  const keyCollisions = [
    ...new Set(nodes.flatMap((n) => declaredAssetKeys(n) ?? []).filter((k) => existingKeys.has(k))),
  ];
  return {
    nodes,
    edges,
    groups,
    files,
    renamed: [...renames].map(([from, to]) => ({ from, to })),
    keyCollisions,
  };
}

/** The nodes with the given ids and the edges between them, as a snippet (files are the caller's: they need I/O). */
export function snippetOf(
  graph: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[]; groups?: readonly NodeGroup[] },
  nodeIds: readonly string[],
  meta: { name: string; description?: string; created_at: string },
): Snippet {
  const wanted = new Set(nodeIds);
  const nodes = graph.nodes.filter((n) => wanted.has(n.id) && n.type !== 'python');
  const ids = new Set(nodes.map((n) => n.id));
  // A group goes along when all its members do (a part of a group is nodes, not the group).
  const groups = (graph.groups ?? []).filter(
    (g) => g.members.length > 0 && g.members.every((m) => ids.has(m)),
  );
  return {
    format: SNIPPET_FORMAT,
    formatVersion: SNIPPET_FORMAT_VERSION,
    name: meta.name,
    ...(meta.description ? { description: meta.description } : {}),
    created_at: meta.created_at,
    nodes: nodes.map((n) => {
      const copy = structuredClone(n);
      delete copy.data.defined_at; // inserted, it is a component in a folder of its own
      return copy;
    }),
    edges: graph.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e) => ({ id: e.id, source: e.source, target: e.target })),
    files: [],
    ...(groups.length ? { groups: structuredClone(groups) } : {}),
  };
}

export function summarizeSnippet(snippet: Snippet): SnippetSummary {
  const labels = new Map(snippet.nodes.map((n) => [n.id, n.data.label]));
  return {
    name: snippet.name,
    ...(snippet.description ? { description: snippet.description } : {}),
    created_at: snippet.created_at,
    nodes: snippet.nodes.map((n) => ({ label: n.data.label, component_type: n.data.component_type })),
    edgeCount: snippet.edges.length,
    files: snippet.files.map((f) => `${labels.get(f.node) ?? f.node}/${f.path}`),
    ...(snippet.groups?.length ? { groups: snippet.groups.map((g) => g.name) } : {}),
  };
}
