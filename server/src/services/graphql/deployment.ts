// The GraphQL documents the designer sends a team's deployment to observe it (services/deployments/observe.ts):
// its workspace of code locations, the state of the project's assets, its runs of the serving location; and to act
// there: the connection test, a reload of a code location, a run's launch check and its cancel.
import type { RawPartitionStats } from './backfills.js';
import { RUN_FIELDS } from './runs.js';

/** The workspace as the designer needs it: per location its status, metadata, version and load error. */
export const DEPLOYMENT_WORKSPACE = `query DesignerDeploymentWorkspace {
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        updatedTimestamp
        displayMetadata { key value }
        locationOrLoadError {
          __typename
          ... on RepositoryLocation { name repositories { name } dagsterLibraryVersions { name version } }
          ... on PythonError { message stack causes { message stack } }
        }
      }
    }
    ... on PythonError { message }
  }
}`;

export interface PythonError {
  message: string;
  stack?: string[];
  causes?: Array<{ message: string; stack?: string[] }>;
}

export interface RawLocationEntry {
  name: string;
  loadStatus: 'LOADING' | 'LOADED';
  updatedTimestamp?: number;
  displayMetadata: Array<{ key: string; value: string }>;
  locationOrLoadError:
    | ({ __typename: 'RepositoryLocation' } & {
        name: string;
        repositories: Array<{ name: string }>;
        dagsterLibraryVersions?: Array<{ name: string; version: string }> | null;
      })
    | ({ __typename: 'PythonError' } & PythonError)
    | null;
}

/** The deployment's state of some asset keys: last materialization, partitions, checks, staleness, runs going. */
export const DEPLOYMENT_ASSETS = `query DesignerDeploymentAssets($keys: [AssetKeyInput!]!) {
  assetNodes(assetKeys: $keys) {
    assetKey { path }
    isPartitioned
    repository { location { name } }
    staleStatus
    partitionStats { numMaterialized numPartitions numFailed numMaterializing }
    assetMaterializations(limit: 1) {
      runId
      timestamp
      partition
      runOrError { __typename ... on Run { status } }
    }
    assetChecksOrError {
      __typename
      ... on AssetChecks { checks { name executionForLatestMaterialization { runId status timestamp } } }
    }
  }
  assetsLatestInfo(assetKeys: $keys) { assetKey { path } inProgressRunIds unstartedRunIds }
}`;

export interface RawAssetNode {
  assetKey: { path: string[] };
  isPartitioned: boolean;
  repository: { location: { name: string } };
  staleStatus: string | null;
  partitionStats: RawPartitionStats | null;
  assetMaterializations: Array<{
    runId: string;
    timestamp: string;
    partition: string | null;
    runOrError: { __typename: string; status?: string };
  }>;
  assetChecksOrError: {
    __typename: string;
    checks?: Array<{
      name: string;
      executionForLatestMaterialization: { runId: string; status: string; timestamp: number } | null;
    }>;
  };
}

/** Every asset key with the code location that defines it. */
export const ASSET_LOCATIONS = '{ assetNodes { assetKey { path } repository { location { name } } } }';

/** A page of the runs with a tag filter (a location's runs), newest first. */
export const LOCATION_RUNS = `query ($limit: Int, $cursor: String, $filter: RunsFilter) { runsOrError(limit: $limit, cursor: $cursor, filter: $filter) { __typename ... on Runs { results { ${RUN_FIELDS} } } ... on PythonError { message } } }`;

/** One run with the code location it ran in. */
export const LOCATION_RUN = `query ($id: ID!) { runOrError(runId: $id) { __typename ... on Run { ${RUN_FIELDS} repositoryOrigin { repositoryLocationName } } } }`;

/** The connection test: the webserver's Dagster version and its code locations. */
export const CONNECTION_TEST_QUERY = `query DesignerConnectionTest {
  version
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        displayMetadata { key value }
        locationOrLoadError {
          __typename
          ... on RepositoryLocation { name repositories { name } }
          ... on PythonError { message causes { message } }
        }
      }
    }
    ... on PythonError { message }
  }
}`;

/** Reload a code location (after a push), with the refusals' words. */
export const RELOAD_DEPLOYMENT_LOCATION = `mutation ($name: String!) {
      reloadRepositoryLocation(repositoryLocationName: $name) {
        __typename
        ... on ReloadNotSupported { message }
        ... on RepositoryLocationNotFound { message }
        ... on UnauthorizedError { message }
        ... on PythonError { message }
      }
    }`;

/** Every asset key with whether it can be materialized and the code location that defines it. */
export const EXECUTABLE_ASSET_LOCATIONS =
  '{ assetNodes { assetKey { path } isExecutable repository { location { name } } } }';

/** Cancel a run, with the refusals' words (a token's rights too). */
export const TERMINATE_RUN_THERE =
  'mutation($id: String!) { terminateRun(runId: $id) { __typename ... on TerminateRunFailure { message } ... on PythonError { message } ... on RunNotFoundError { message } ... on UnauthorizedError { message } } }';
