// The GraphQL documents the designer sends a team's deployment to observe it (services/deployments/observe.ts):
// its workspace of code locations, the state of the project's assets, its runs of the serving location.
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
  partitionStats: {
    numMaterialized: number;
    numPartitions: number;
    numFailed: number;
    numMaterializing: number;
  } | null;
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
