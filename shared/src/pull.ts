// Pull (issue 16): what teammates changed on the project's branch since the designer's last push or pull, and
// how it merges into the designer's project. Requests and answers of POST …/pull/preview and …/pull/apply.
import { Type, type Static } from '@sinclair/typebox';
import { GitTarget } from './api.js';

export const PullFileStatus = Type.Union([
  Type.Literal('added'),
  Type.Literal('modified'),
  Type.Literal('deleted'),
]);

export const PullFile = Type.Object({
  path: Type.String(),
  /** What applying the pull does to the designer's file. */
  status: PullFileStatus,
  /** theirs: only teammates changed it; merged: both did, merged cleanly; conflict: both did, on the same lines. */
  outcome: Type.Union([Type.Literal('theirs'), Type.Literal('merged'), Type.Literal('conflict')]),
  /** Unified diff from the designer's file to what the pull gives (conflict: to teammates' version). */
  diff: Type.String(),
});

export const PullConflict = Type.Object({
  path: Type.String(),
  /** null: the file is deleted on that side. */
  mine: Type.Union([Type.String(), Type.Null()]),
  theirs: Type.Union([Type.String(), Type.Null()]),
  /** git merge-file's text with <<<<<<< mine / ======= / >>>>>>> theirs markers, when both sides hold text. */
  merged: Type.Union([Type.String(), Type.Null()]),
  binary: Type.Boolean(),
});

const Ref = Type.Object({ id: Type.String(), label: Type.String() });
export const PullGraphDiff = Type.Object({
  added: Type.Array(Ref),
  removed: Type.Array(Ref),
  changed: Type.Array(
    Type.Object({ id: Type.String(), label: Type.String(), paths: Type.Array(Type.String()) }),
  ),
});

export const PullPreview = Type.Object({
  branch: Type.String(),
  /** The remote branch head the preview was made from: apply refuses if the branch moved since. */
  head: Type.String(),
  /** The commit of the designer's last push or pull of this branch, null when there is none. */
  base: Type.Union([Type.String(), Type.Null()]),
  /** The project version the preview was made from: apply refuses if the project was saved since. */
  version: Type.Integer(),
  upToDate: Type.Boolean(),
  /** The designer changed nothing since the base: teammates' files are taken as they are. */
  fastForward: Type.Boolean(),
  commits: Type.Array(Type.Object({ id: Type.String(), author: Type.String(), subject: Type.String() })),
  files: Type.Array(PullFile),
  conflicts: Type.Array(PullConflict),
  /** Nodes added, removed or changed in the graph rebuilt from the merged files (conflicts taken as theirs). */
  graph: PullGraphDiff,
});

export const PullResolution = Type.Object({
  path: Type.String({ minLength: 1, maxLength: 1000 }),
  choice: Type.Union([Type.Literal('mine'), Type.Literal('theirs'), Type.Literal('edited')]),
  /** The file's text when `choice` is edited. */
  text: Type.Optional(Type.String({ maxLength: 2_000_000 })),
});

export const PullPreviewBody = Type.Object(GitTarget, { additionalProperties: false });
export const PullApplyBody = Type.Object(
  {
    ...GitTarget,
    head: Type.String({ pattern: '^[0-9a-f]{40,64}$' }),
    version: Type.Integer({ minimum: 1 }),
    resolutions: Type.Optional(Type.Array(PullResolution, { maxItems: 5000 })),
  },
  { additionalProperties: false },
);

export const PullApplied = Type.Object({
  version: Type.Integer(),
  head: Type.String(),
  files: Type.Array(Type.Object({ path: Type.String(), status: PullFileStatus })),
  graph: PullGraphDiff,
});

export type PullFile = Static<typeof PullFile>;
export type PullConflict = Static<typeof PullConflict>;
export type PullGraphDiff = Static<typeof PullGraphDiff>;
export type PullPreview = Static<typeof PullPreview>;
export type PullResolution = Static<typeof PullResolution>;
export type PullPreviewBody = Static<typeof PullPreviewBody>;
export type PullApplyBody = Static<typeof PullApplyBody>;
export type PullApplied = Static<typeof PullApplied>;
