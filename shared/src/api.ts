// The HTTP contract of DESIGN.md as TypeBox schemas: the server validates and documents with them,
// the web client types its calls with them.
import { Type, type Static } from '@sinclair/typebox';
import { DefinedAt, EnvVarRef, Graph, ProjectFile, ProjectName } from './project-file/schema.js';
import { CheckEvaluation } from './asset-checks.js';
import { AssetPartitions } from './partitions-api.js';
import { SnippetSummary } from './snippets.js';

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    hint: Type.Optional(Type.String()),
    details: Type.Optional(Type.Unknown()),
  }),
});

export const Problem = Type.Object({
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
  message: Type.String(),
  hint: Type.Optional(Type.String()),
  nodeId: Type.Optional(Type.String()),
  file: Type.Optional(Type.String()),
  line: Type.Optional(Type.Integer()),
  /** Dotted path of the attribute at fault (e.g. "execution.path"), so the UI can focus its field. */
  field: Type.Optional(Type.String()),
});

export const Asset = Type.Object({
  key: Type.String(),
  group_name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  deps: Type.Array(Type.String()),
  kinds: Type.Optional(Type.Array(Type.String())),
  owners: Type.Optional(Type.Array(Type.String())),
  tags: Type.Optional(Type.Record(Type.String(), Type.String())),
  metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  nodeId: Type.Optional(Type.String()),
  /** False for external (source) assets, as `dg list defs` reports `is_executable`. */
  is_executable: Type.Optional(Type.Boolean()),
  /** Where Dagster built it, relative to `defs/` (see "Definitions and where they are defined" below). */
  defined_at: Type.Optional(DefinedAt),
  /** Its partitions, when it is partitioned. */
  partitions: Type.Optional(AssetPartitions),
});

/*
 * Definitions and where they are defined. Every definition of a preview carries `defined_at`: the defs.yaml
 * of its component (`{ path: "transform/defs.yaml" }`, with `document` when the file holds several YAML
 * documents) or the Python module that defines it (`{ path: "assets/orders.py" }`), from Dagster's own
 * component tree; `ownerOf(nodes, defined_at)` gives its node. `nodeId` is that node when the server knows it.
 */
export const AssetCheck = Type.Object({
  /** `<asset key>:<check name>`, as `dg list defs` writes it. */
  key: Type.String(),
  asset: Type.String(),
  name: Type.String(),
  blocking: Type.Boolean(),
  description: Type.Optional(Type.String()),
  additional_deps: Type.Array(Type.String()),
  defined_at: Type.Optional(DefinedAt),
  nodeId: Type.Optional(Type.String()),
});

export const Job = Type.Object({
  name: Type.String(),
  description: Type.Optional(Type.String()),
  /** The assets it materializes (its job's resolved asset selection; `dg list defs` does not list them). */
  asset_keys: Type.Optional(Type.Array(Type.String())),
  defined_at: Type.Optional(DefinedAt),
  nodeId: Type.Optional(Type.String()),
});

export const Schedule = Type.Object({
  name: Type.String(),
  /** Several crons are joined with ", ", as `dg list defs` does. */
  cron_schedule: Type.String(),
  execution_timezone: Type.Optional(Type.String()),
  /** The job it starts (for an asset-selection target, Dagster's implicit job for it). */
  job_name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  /** The assets it materializes (its job's resolved asset selection; `dg list defs` does not list them). */
  asset_keys: Type.Optional(Type.Array(Type.String())),
  default_status: Type.Optional(Type.String()),
  defined_at: Type.Optional(DefinedAt),
  nodeId: Type.Optional(Type.String()),
});

export const Sensor = Type.Object({
  name: Type.String(),
  job_names: Type.Array(Type.String()),
  sensor_type: Type.Optional(Type.String()),
  minimum_interval_seconds: Type.Optional(Type.Number()),
  description: Type.Optional(Type.String()),
  default_status: Type.Optional(Type.String()),
  /** The assets it materializes (its job's resolved asset selection; `dg list defs` does not list them). */
  asset_keys: Type.Optional(Type.Array(Type.String())),
  defined_at: Type.Optional(DefinedAt),
  nodeId: Type.Optional(Type.String()),
});

export const Resource = Type.Object({
  key: Type.String(),
  /** The resource's class, as `dg list defs` names it. */
  type: Type.String(),
  defined_at: Type.Optional(DefinedAt),
  nodeId: Type.Optional(Type.String()),
});

/** One stage of a preview (sync, refresh of a component's state, load, checks of script files). */
export const PreviewStep = Type.Object({
  id: Type.String(),
  label: Type.String(),
  durationMs: Type.Number(),
  status: Type.Union([Type.Literal('done'), Type.Literal('failed'), Type.Literal('skipped')]),
  detail: Type.Optional(Type.String()),
});

/** A preview while it runs (`GET /projects/:id/preview/events`): the steps done and the one under way. */
export const PreviewProgress = Type.Object({
  running: Type.Boolean(),
  steps: Type.Array(PreviewStep),
  current: Type.Optional(Type.Object({ id: Type.String(), label: Type.String(), startedAt: Type.Number() })),
});

/** What `POST /projects/:id/preview` answers: everything the project defines, as `dg list defs` sees it. */
export const PreviewResult = Type.Object({
  assets: Type.Array(Asset),
  checks: Type.Array(AssetCheck),
  jobs: Type.Array(Job),
  schedules: Type.Array(Schedule),
  sensors: Type.Array(Sensor),
  resources: Type.Array(Resource),
  problems: Type.Array(Problem),
  steps: Type.Array(PreviewStep),
  durationMs: Type.Number(),
  syncMs: Type.Number(),
  inspectMs: Type.Number(),
  warm: Type.Boolean(),
  changed: Type.Array(Type.String()),
  /** The whole load failed: what the other entries of defs/ define, without the failing ones (their errors are
   * in `problems`, each on its node). Absent when the answer is complete. */
  partial: Type.Optional(Type.Boolean()),
});

/** What `POST /projects/:id/sync` answers: the files written, the problems on their nodes, the steps taken. */
export const SyncResult = Type.Object({
  changed: Type.Array(Type.String()),
  problems: Type.Array(Problem),
  steps: Type.Array(Type.String()),
  durationMs: Type.Number(),
});

/** One file of the generated project, as `GET /projects/:id/files` lists it. */
export const ProjectFileEntry = Type.Object({
  path: Type.String(),
  size: Type.Integer(),
  managedBy: Type.Optional(
    Type.String({ description: 'id of the node whose defs.yaml this is (edit it through the node)' }),
  ),
});

const FileInfo = {
  path: Type.String(),
  size: Type.Integer(),
  hash: Type.String({ description: 'sha256 of the content; send it back in If-Match to write' }),
};
/** `GET /projects/:id/files/*`: one file's text (≤ 1 MiB) and its hash. */
export const ProjectFileContent = Type.Object({ ...FileInfo, content: Type.String() });
/** `PUT /projects/:id/files/*`: the file written, and whether it is new. */
export const WrittenFile = Type.Object({ ...FileInfo, created: Type.Boolean() });

/** What `POST /projects/:id/check` (`dg check defs`) answers. */
export const CheckResult = Type.Object({
  ok: Type.Boolean(),
  problems: Type.Array(Problem),
  durationMs: Type.Number(),
});

/** A snippet as `GET /snippets` lists it: an unreadable one carries its error. */
export const ListedSnippet = Type.Intersect([
  SnippetSummary,
  Type.Object({ error: Type.Optional(Type.String()) }),
]);

export const ToolchainStatus = Type.Object({
  uv: Type.Union([Type.String(), Type.Null()]),
  dagster: Type.String(),
  createDagster: Type.String(),
  ready: Type.Boolean(),
  catalog: Type.Union([
    Type.Literal('missing'),
    Type.Literal('creating'),
    Type.Literal('ready'),
    Type.Literal('error'),
  ]),
  message: Type.Optional(Type.String()),
});

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  version: Type.String(),
  toolchain: ToolchainStatus,
  /** The local Dagster instances this server runs, per project, and whether they answer. */
  instances: Type.Optional(
    Type.Array(Type.Object({ projectId: Type.String(), url: Type.String(), reachable: Type.Boolean() })),
  ),
});

export const ComponentSummary = Type.Object({
  type: Type.String(),
  name: Type.String(),
  module: Type.String(),
  category: Type.String(),
  summary: Type.String(),
  description: Type.Optional(Type.String()),
  scaffoldable: Type.Boolean(),
});

export const ComponentCatalog = Type.Object({
  components: Type.Array(ComponentSummary),
  source: Type.Union([Type.Literal('project'), Type.Literal('catalog')]),
  cached: Type.Boolean(),
  durationMs: Type.Number(),
});

export const ComponentSchema = Type.Object({
  type: Type.String(),
  schema: Type.Record(Type.String(), Type.Unknown()),
  defsYamlSchema: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  scaffoldSchema: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  example: Type.Optional(Type.String()),
});

export const ProjectSummary = Type.Object({
  id: Type.String(),
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  package_name: Type.Optional(Type.String()),
  version: Type.Optional(Type.Integer()),
  nodeCount: Type.Optional(Type.Integer()),
  updated_at: Type.Optional(Type.String()),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});

export const CreateProjectBody = Type.Object(
  {
    name: ProjectName,
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    /** A project template (GET /templates): the project starts with its working pipeline. */
    template: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]*$', maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const SaveProjectBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(ProjectName),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    graph: Graph,
    git_repo: Type.Optional(Type.String({ maxLength: 2000 })),
    git_branch: Type.Optional(Type.String({ maxLength: 250 })),
    env: Type.Optional(Type.Array(EnvVarRef, { maxItems: 500 })),
    // What GET answers, so a read → change → save round-trips. The server owns these: `id`, `package_name` and
    // `formatVersion` must equal the stored ones (400 otherwise), the timestamps are ignored.
    formatVersion: Type.Optional(Type.Integer()),
    id: Type.Optional(Type.String({ maxLength: 100 })),
    package_name: Type.Optional(Type.String({ maxLength: 200 })),
    created_at: Type.Optional(Type.String({ maxLength: 100 })),
    updated_at: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

/** What a save answers: the new version, not the whole graph back (saves of big graphs stay cheap). */
export const SavedProject = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  updated_at: Type.String(),
});

export const RenameProjectBody = Type.Object(
  { name: ProjectName, version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

export const WorkspaceStatus = Type.Object({
  status: Type.Union([
    Type.Literal('missing'),
    Type.Literal('creating'),
    Type.Literal('ready'),
    Type.Literal('error'),
  ]),
  message: Type.Optional(Type.String()),
  hint: Type.Optional(Type.String()),
  step: Type.Optional(Type.String()),
  path: Type.String(),
});

export const EnvVarStatus = Type.Object({
  name: Type.String(),
  description: Type.Optional(Type.String()),
  required: Type.Boolean(),
  usedBy: Type.Array(Type.String(), { description: 'ids of the nodes that reference it' }),
  set: Type.Boolean(),
  source: Type.Union([Type.Literal('.env'), Type.Literal('server'), Type.Null()], {
    description: "where the value comes from: the workspace's .env, or the designer server's own environment",
  }),
  masked: Type.Union([Type.String(), Type.Null()], { description: 'at most the last 2 characters' }),
});
export const SetEnvBody = Type.Object(
  { value: Type.String({ maxLength: 32 * 1024 }) },
  { additionalProperties: false },
);

export type ErrorBody = Static<typeof ErrorBody>;
export type EnvVarStatus = Static<typeof EnvVarStatus>;
export type Problem = Static<typeof Problem>;
export type Asset = Static<typeof Asset>;
export type AssetCheck = Static<typeof AssetCheck>;
export type Job = Static<typeof Job>;
export type Schedule = Static<typeof Schedule>;
export type Sensor = Static<typeof Sensor>;
export type Resource = Static<typeof Resource>;
export type PreviewStep = Static<typeof PreviewStep>;
export type PreviewResult = Static<typeof PreviewResult>;
export type PreviewProgress = Static<typeof PreviewProgress>;
export type SyncResult = Static<typeof SyncResult>;
export type ProjectFileEntry = Static<typeof ProjectFileEntry>;
export type ListedSnippet = Static<typeof ListedSnippet>;
export type ProjectFileContent = Static<typeof ProjectFileContent>;
export type WrittenFile = Static<typeof WrittenFile>;
export type CheckResult = Static<typeof CheckResult>;
export type Health = Static<typeof Health>;
export type ToolchainStatus = Static<typeof ToolchainStatus>;
export type ComponentSummary = Static<typeof ComponentSummary>;
export type ComponentCatalog = Static<typeof ComponentCatalog>;
export type ComponentSchema = Static<typeof ComponentSchema>;
export type ProjectSummary = Static<typeof ProjectSummary>;
export type CreateProjectBody = Static<typeof CreateProjectBody>;
export type SaveProjectBody = Static<typeof SaveProjectBody>;
export type SavedProject = Static<typeof SavedProject>;
export type WorkspaceStatus = Static<typeof WorkspaceStatus>;

export const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const RunStep = Type.Object({
  stepKey: Type.String(),
  status: Nullable(Type.String()),
  startTime: Nullable(Type.Number()),
  endTime: Nullable(Type.Number()),
  /** The asset keys the step materializes (its op's assets), to show the step under its node's name. */
  assets: Type.Optional(Type.Array(Type.String())),
});

const ProgressStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('running'),
  Type.Literal('done'),
  Type.Literal('failed'),
  Type.Literal('skipped'),
]);
/** One stage of getting a run started (sync, instance start, reload, launch), with times in ms since epoch. */
export const ProgressStep = Type.Object({
  id: Type.String(),
  label: Type.String(),
  status: ProgressStatus,
  startedAt: Type.Optional(Type.Number()),
  endedAt: Type.Optional(Type.Number()),
  detail: Type.Optional(Type.String()),
});
export const ProgressError = Type.Object({
  code: Type.String(),
  message: Type.String(),
  hint: Type.Optional(Type.String()),
});
/** A project's local Dagster instance: stopped, starting (its steps), ready or failed. */
export const InstanceState = Type.Object({
  projectId: Type.String(),
  status: Type.Union([
    Type.Literal('stopped'),
    Type.Literal('starting'),
    Type.Literal('ready'),
    Type.Literal('failed'),
  ]),
  steps: Type.Array(ProgressStep),
  url: Type.Optional(Type.String()),
  startedAt: Type.Optional(Type.Number()),
  readyAt: Type.Optional(Type.Number()),
  error: Type.Optional(ProgressError),
});
/** How far a launch got before Dagster had the run (the run is LAUNCHING until then). */
export const RunLaunch = Type.Object({
  id: Type.String(),
  steps: Type.Array(ProgressStep),
  /** The instance's own start steps, while the launch waits for it. */
  instance: Type.Optional(Type.Array(ProgressStep)),
  error: Type.Optional(ProgressError),
});

export const Run = Type.Object({
  runId: Type.String(),
  projectId: Type.String(),
  status: Type.String(),
  startTime: Nullable(Type.Number()),
  endTime: Nullable(Type.Number()),
  creationTime: Nullable(Type.Number()),
  assets: Type.Array(Type.String()),
  steps: Type.Array(RunStep),
  /** The designer's id for the launch (answered by POST …/runs before Dagster has the run). */
  launchId: Type.Optional(Type.String()),
  launch: Type.Optional(RunLaunch),
  materializations: Type.Array(
    Type.Object({ asset: Type.String(), timestamp: Type.String(), stepKey: Nullable(Type.String()) }),
  ),
});

export const RunEvent = Type.Object({
  type: Type.String(),
  message: Type.String(),
  timestamp: Type.String(),
  level: Type.String(),
  stepKey: Nullable(Type.String()),
  error: Type.Optional(Type.String()),
  /** An `AssetCheckEvaluationEvent`'s result. */
  check: Type.Optional(CheckEvaluation),
});

/** The query of a page of run history, newest first: `cursor` is the last run id of the page before. */
export const RunsPageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
});
/** A page of run history (the properties; a local one adds `instance`, a deployment's its `location`). */
export const RunsPage = { runs: Type.Array(Run), cursor: Nullable(Type.String()) };

/** Log events of a run after a cursor. */
export const RunLogsQuery = Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 500 })) });
export const RunLogsPage = Type.Object({
  events: Type.Array(RunEvent),
  cursor: Nullable(Type.String()),
  hasMore: Type.Boolean(),
});

export const GitChange = Type.Object({
  path: Type.String(),
  status: Type.Union([
    Type.Literal('added'),
    Type.Literal('modified'),
    Type.Literal('deleted'),
    Type.Literal('renamed'),
  ]),
});

export const GitTarget = {
  remote: Type.String({ minLength: 1, maxLength: 2000 }),
  branch: Type.String({ minLength: 1, maxLength: 200 }),
  token: Type.Optional(Type.String({ maxLength: 4096 })),
  username: Type.Optional(Type.String({ maxLength: 200, pattern: '^[^\\u0000-\\u001f]*$' })),
};

/** POST …/git/diff: the changed files and unified diff of the generated project against the remote branch. */
export const GitDiff = Type.Object({
  base: Nullable(Type.String()),
  files: Type.Array(GitChange),
  diff: Type.String(),
  truncated: Type.Boolean(),
});
/** POST …/git/push: the commit made (null when nothing changed) on the branch, `created` when it was new. */
export const GitPushed = Type.Object({
  commit: Nullable(Type.String()),
  branch: Type.String(),
  files: Type.Array(GitChange),
  created: Type.Boolean(),
});

/** POST …/runs (202): a launch under way; every run route takes `runId` (the launch id) before and after. */
export const RunLaunched = Type.Object({
  runId: Type.String({ description: 'the launch id: every run route takes it, before and after' }),
  launchId: Type.String(),
  status: Type.String(),
  launch: RunLaunch,
});
/** POST …/run-config-schema: Dagster's config schema of a selection as JSON Schema (for a form). */
export const RunConfigSchema = Type.Object({
  schema: Type.Record(Type.String(), Type.Unknown()),
  hasConfig: Type.Boolean(),
  assets: Type.Array(Type.String()),
});
/** GET …/runs: a page of the local instance's run history, with the instance's state. */
export const LocalRunsPage = Type.Object({ ...RunsPage, instance: InstanceState });
/** POST /runs/:runId/cancel (and a deployment's run cancel) */
export const RunCancelled = Type.Object({ runId: Type.String(), status: Type.String() });
/** GET …/deployments/:depId/runs: a page of the deployment's run history, with the code location it read. */
export const DeploymentRunsPage = Type.Object({ ...RunsPage, location: Type.String() });

/** POST /projects/import: the imported project, what the import could not take over, and where it came from. */
export const ImportedProject = Type.Object({
  project: ProjectFile,
  problems: Type.Array(Problem),
  source: Type.String(),
});
/** POST …/components/duckdb-connection: the connection component's type, the files written, libraries added. */
export const ConnectionAdded = Type.Object({
  componentType: Type.String(),
  written: Type.Array(Type.String()),
  installed: Type.Array(Type.String()),
});

export type RunStep = Static<typeof RunStep>;
export type ProgressStep = Static<typeof ProgressStep>;
export type InstanceState = Static<typeof InstanceState>;
export type RunLaunch = Static<typeof RunLaunch>;
export type Run = Static<typeof Run>;
export type RunEvent = Static<typeof RunEvent>;
export type GitChange = Static<typeof GitChange>;
export type GitDiff = Static<typeof GitDiff>;
export type GitPushed = Static<typeof GitPushed>;
export type RunLaunched = Static<typeof RunLaunched>;
export type RunConfigSchema = Static<typeof RunConfigSchema>;
export type LocalRunsPage = Static<typeof LocalRunsPage>;
export type RunCancelled = Static<typeof RunCancelled>;
export type DeploymentRunsPage = Static<typeof DeploymentRunsPage>;
export type RunLogsPage = Static<typeof RunLogsPage>;
export type ImportedProject = Static<typeof ImportedProject>;
export type ConnectionAdded = Static<typeof ConnectionAdded>;
export interface GitTarget {
  remote: string;
  branch: string;
  token?: string;
  username?: string;
}

/*
 * History (issue 18): every save of a project is kept as a commit of a local Git repository in the data folder
 * (`.history/<id>.git`). A version is named by its commit id; `version` is the project version it holds.
 */
export * from './graph-diff.js';
export const HISTORY_COMMIT_PATTERN = '^[0-9a-f]{40}$';
export const HistoryEntry = Type.Object({
  commit: Type.String(),
  /** The project version this entry holds (the last save of a squashed burst). */
  version: Type.Integer(),
  /** The first project version of the burst it squashes (equal to `version` for a single save). */
  fromVersion: Type.Integer(),
  at: Type.String({ description: 'ISO 8601 time of the last save in the entry' }),
  kind: Type.Union([
    Type.Literal('save'),
    Type.Literal('files'),
    Type.Literal('restore'),
    Type.Literal('before-restore'),
  ]),
  summary: Type.String(),
  saves: Type.Integer({ description: 'how many saves the entry squashes' }),
});
export const HistoryPage = Type.Object({
  entries: Type.Array(HistoryEntry),
  total: Type.Integer(),
  /** Saves acknowledged but not yet written into the history (they are, within seconds). */
  pending: Type.Boolean(),
});
export const HistoryVersion = Type.Object({
  entry: HistoryEntry,
  graph: Graph,
  files: Type.Array(Type.String(), {
    description: 'workspace-relative paths of the files the version holds',
  }),
});
const DiffNodeRef = Type.Object({ id: Type.String(), label: Type.String() });
const DiffEdgeRef = Type.Object({ source: Type.String(), target: Type.String(), label: Type.String() });
export const HistoryFileDiff = Type.Object({
  path: Type.String(),
  status: Type.Union([Type.Literal('added'), Type.Literal('modified'), Type.Literal('deleted')]),
  /** Unified diff text (git's), empty for a binary or over-long file. */
  diff: Type.String(),
});
export const HistoryDiff = Type.Object({
  from: HistoryEntry,
  to: HistoryEntry,
  summary: Type.String(),
  graph: Type.Object({
    nodes: Type.Object({
      added: Type.Array(DiffNodeRef),
      removed: Type.Array(DiffNodeRef),
      changed: Type.Array(
        Type.Intersect([
          DiffNodeRef,
          Type.Object({ paths: Type.Array(Type.String()), previousLabel: Type.Optional(Type.String()) }),
        ]),
      ),
    }),
    edges: Type.Object({ added: Type.Array(DiffEdgeRef), removed: Type.Array(DiffEdgeRef) }),
    groups: Type.Optional(
      Type.Object({
        added: Type.Array(Type.String()),
        removed: Type.Array(Type.String()),
        changed: Type.Array(Type.String()),
      }),
    ),
  }),
  /** The nodes of the `from` version that `to` no longer has, so a client can draw them as ghosts. */
  removedNodes: Graph.properties.nodes,
  files: Type.Array(HistoryFileDiff),
});
export const RestoreBody = Type.Object(
  { version: Type.Integer({ minimum: 1, description: 'the current project version (stale → 409)' }) },
  { additionalProperties: false },
);
export const RestoreResult = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  updated_at: Type.String(),
  restored: Type.String({ description: 'the commit restored' }),
  files: Type.Array(Type.String(), { description: 'workspace files written back' }),
});
export type HistoryEntry = Static<typeof HistoryEntry>;
export type HistoryPage = Static<typeof HistoryPage>;
export type HistoryVersion = Static<typeof HistoryVersion>;
export type HistoryDiff = Static<typeof HistoryDiff>;
export type HistoryFileDiff = Static<typeof HistoryFileDiff>;
export type RestoreResult = Static<typeof RestoreResult>;
