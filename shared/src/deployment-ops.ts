// What the designer does on a team's deployment once connected: observe its state of the project's assets,
// run there, reload its code location. The answers; the connection itself is in deployments.ts.
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Problem, Run } from './api.js';

/** Whether the deployment serves the commit the designer pushed last, as far as the deployment tells. */
export const DeploymentCodeVersion = Type.Object({
  status: Type.Union([Type.Literal('current'), Type.Literal('behind'), Type.Literal('unknown')]),
  /** The designer's last push of this project (commit, branch, when), if it pushed since the record began. */
  pushed: Type.Optional(
    Type.Object({ commit: Type.String(), branch: Type.String(), remote: Type.String(), at: Type.String() }),
  ),
  /** The commit the code location says it serves, and where it says so (display metadata key). */
  serving: Type.Optional(Type.Object({ commit: Type.String(), from: Type.String() })),
  message: Type.String(),
});

/** The serving code location: loaded, loading, or failing with its error. */
export const DeploymentLocationState = Type.Object({
  name: Type.String(),
  status: Type.Union([Type.Literal('loaded'), Type.Literal('loading'), Type.Literal('error')]),
  error: Type.Optional(Type.String()),
  /** Dagster's version on the code server, when it tells. */
  dagsterVersion: Type.Optional(Type.String()),
  updatedAt: Type.Optional(Type.Number()),
});

export const DeploymentAssetState = Type.Object({
  key: Type.String(),
  /** False when the deployment's code does not define this key (not pushed or not reloaded yet). */
  defined: Type.Boolean(),
  lastMaterialization: Type.Optional(
    Type.Object({
      /** Milliseconds since the epoch. */
      timestamp: Type.Number(),
      runId: Type.String(),
      runStatus: Type.Optional(Type.String()),
      partition: Type.Optional(Type.String()),
    }),
  ),
  /** A run of this asset queued or under way on the deployment. */
  inProgressRunIds: Type.Array(Type.String()),
  partitions: Type.Optional(
    Type.Object({
      total: Type.Number(),
      materialized: Type.Number(),
      failed: Type.Number(),
      materializing: Type.Number(),
    }),
  ),
  checks: Type.Array(
    Type.Object({
      name: Type.String(),
      /** SUCCEEDED, FAILED, EXECUTION_FAILED, SKIPPED, IN_PROGRESS, or null when not run since the materialization. */
      status: Nullable(Type.String()),
      runId: Type.Optional(Type.String()),
      timestamp: Type.Optional(Type.Number()),
    }),
  ),
  /** Dagster's stale status: FRESH, STALE or MISSING (never materialized). */
  staleStatus: Nullable(Type.String()),
});

export const DeploymentAssets = Type.Object({
  location: Nullable(DeploymentLocationState),
  assets: Type.Array(DeploymentAssetState),
  code: DeploymentCodeVersion,
  /** Milliseconds since the epoch. */
  observedAt: Type.Number(),
});

export const DeploymentReload = Type.Object({
  location: DeploymentLocationState,
  /** The load error on the node that caused it, as a preview shows it. */
  problems: Type.Array(Problem),
  durationMs: Type.Number(),
  code: DeploymentCodeVersion,
});

export const DeploymentLaunchBody = Type.Object(
  {
    assets: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 5000 })),
    runConfig: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    /** One partition key to run (a partitioned selection). */
    partition: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);

/** POST …/deployments/:depId/runs (201): the run launched there, and the code version it was checked against. */
export const DeploymentLaunched = Type.Object({ run: Run, code: DeploymentCodeVersion });

export type DeploymentCodeVersion = Static<typeof DeploymentCodeVersion>;
export type DeploymentLaunched = Static<typeof DeploymentLaunched>;
export type DeploymentLocationState = Static<typeof DeploymentLocationState>;
export type DeploymentAssetState = Static<typeof DeploymentAssetState>;
export type DeploymentAssets = Static<typeof DeploymentAssets>;
export type DeploymentReload = Static<typeof DeploymentReload>;
export type DeploymentLaunchBody = Static<typeof DeploymentLaunchBody>;
