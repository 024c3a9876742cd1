// The GraphQL documents of a local instance's own life (services/dagster-instance.ts sends them): its code
// location loaded or failed, a reload, the runs still going.

/** A code location's `locationOrLoadError` as the designer reads it: loaded, its load error with causes, or null. */
export type RawLoadOutcome = {
  __typename: string;
  message?: string;
  causes?: Array<{ message: string }>;
} | null;

/** The code location's entry: loaded, still loading (null), or its load error with causes. */
export const WORKSPACE_LOCATIONS =
  '{ workspaceOrError { __typename ... on Workspace { locationEntries { name locationOrLoadError { __typename ... on PythonError { message causes { message } } } } } } }';

/** Reload a code location (after the project's files changed). */
export const RELOAD_LOCATION =
  'mutation($name: String!) { reloadRepositoryLocation(repositoryLocationName: $name) { __typename } }';

/** The runs queued or in progress (an idle instance with none may stop). */
export const ACTIVE_RUNS =
  '{ runsOrError(filter: { statuses: [QUEUED, NOT_STARTED, STARTING, STARTED, CANCELING] }) { ... on Runs { results { runId } } } }';
