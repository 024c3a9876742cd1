// The project file (`projects/<uuid>.json`): the source of truth for the graph. See DESIGN.md "Data model".
import { Type, type Static } from '@sinclair/typebox';
import {
  ENV_VAR_NAME_PATTERN,
  MAX_ENV_VAR_NAME_LENGTH,
  MAX_LABEL_LENGTH,
  MAX_PROJECT_NAME_LENGTH,
  UUID_PATTERN,
} from '../names.js';

export const CURRENT_FORMAT_VERSION = 3;

const Json = Type.Record(Type.String(), Type.Unknown());

/**
 * Every object of the format names all its fields: a save with a field the format does not have is refused (400)
 * instead of kept in the file and dropped by the next read, and the stored text is exactly what a read answers
 * (GET sends it as it is). A file written before that is cleaned of such fields when it is read.
 */
const Closed = { additionalProperties: false } as const;

export const Position = Type.Object({ x: Type.Number(), y: Type.Number() }, Closed);

/** A path relative to `defs/`, slash-separated; no part starts with `.` or `-` (so no `..`) or is empty. */
export const DEFS_RELATIVE_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$';

/**
 * Where a node's definitions live when that is not `defs/<label>/defs.yaml` (format 2): one YAML document of
 * a multi-document defs.yaml (`{ path: "ingest/defs.yaml", document: 1 }`), or the folder or module of plain
 * Python definitions (`{ path: "assets" }`, `{ path: "resources.py" }`). The label is then only a name.
 */
export const DefinedAt = Type.Object(
  {
    path: Type.String({ pattern: DEFS_RELATIVE_PATTERN, maxLength: 500 }),
    document: Type.Optional(Type.Integer({ minimum: 0, maximum: 999 })),
  },
  Closed,
);

export const GraphNodeData = Type.Object(
  {
    label: Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: MAX_LABEL_LENGTH }),
    component_type: Type.String({
      pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+$',
      maxLength: 200,
    }),
    attributes: Json,
    translation: Type.Optional(Json),
    post_processing: Type.Optional(Json),
    defined_at: Type.Optional(DefinedAt),
  },
  Closed,
);

export const GraphNode = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100 }),
    /**
     * `component`: a Dagster component (a defs.yaml document); `python`: plain Python definitions (format 2);
     * `schedule`: a schedule of the assets it has edges to, written with the project's ScheduledJobComponent (format 3).
     */
    type: Type.Union([Type.Literal('component'), Type.Literal('python'), Type.Literal('schedule')]),
    position: Position,
    data: GraphNodeData,
  },
  Closed,
);

export const GraphEdge = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 200 }),
    source: Type.String({ minLength: 1, maxLength: 100 }),
    target: Type.String({ minLength: 1, maxLength: 100 }),
  },
  Closed,
);

export const Viewport = Type.Object({ x: Type.Number(), y: Type.Number(), zoom: Type.Number() }, Closed);

/** The colours a group's frame can take (names, so each theme draws its own shade). */
export const GROUP_COLORS = ['blue', 'green', 'amber', 'red', 'purple', 'grey'] as const;

/**
 * A named, coloured frame around nodes on the canvas (issue 18; optional, so every older file stays valid).
 * Its place is the members' bounding box, so it has no position of its own. `dagster_group`: the members'
 * `translation.group_name` is kept equal to `dagsterGroupName(name)` (shared/src/groups.ts).
 */
export const NodeGroup = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100 }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    color: Type.Union(GROUP_COLORS.map((c) => Type.Literal(c))),
    members: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 5000 }),
    collapsed: Type.Optional(Type.Boolean()),
    dagster_group: Type.Optional(Type.Boolean()),
  },
  Closed,
);

export const Graph = Type.Object(
  {
    nodes: Type.Array(GraphNode, { maxItems: 5000 }),
    edges: Type.Array(GraphEdge, { maxItems: 20000 }),
    groups: Type.Optional(Type.Array(NodeGroup, { maxItems: 1000 })),
    viewport: Type.Optional(Viewport),
  },
  Closed,
);

export const EnvVarRef = Type.Object(
  {
    name: Type.String({ pattern: ENV_VAR_NAME_PATTERN.source, maxLength: MAX_ENV_VAR_NAME_LENGTH }),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    required: Type.Boolean(),
  },
  Closed,
);

export const ProjectName = Type.String({ minLength: 1, maxLength: MAX_PROJECT_NAME_LENGTH });

export const ProjectFile = Type.Object(
  {
    formatVersion: Type.Literal(CURRENT_FORMAT_VERSION),
    id: Type.String({ pattern: UUID_PATTERN.source }),
    name: ProjectName,
    package_name: Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: MAX_LABEL_LENGTH }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    version: Type.Integer({ minimum: 1 }),
    graph: Graph,
    created_at: Type.String(),
    updated_at: Type.String(),
    git_repo: Type.Optional(Type.String({ maxLength: 2000 })),
    git_branch: Type.String({ maxLength: 250 }),
    env: Type.Optional(Type.Array(EnvVarRef, { maxItems: 500 })),
  },
  Closed,
);

export type Position = Static<typeof Position>;
export type GraphNode = Static<typeof GraphNode>;
export type DefinedAt = Static<typeof DefinedAt>;
export type GraphEdge = Static<typeof GraphEdge>;
export type NodeGroup = Static<typeof NodeGroup>;
export type GroupColor = (typeof GROUP_COLORS)[number];
export type Graph = Static<typeof Graph>;
export type EnvVarRef = Static<typeof EnvVarRef>;
export type ProjectFile = Static<typeof ProjectFile>;
