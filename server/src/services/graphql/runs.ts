// The GraphQL documents of runs on a Dagster instance or deployment (services/runs.ts and the run helpers send
// them): launch, status, history, logs, cancel, and the run configuration schema.
import { EVALUATION_FIELDS } from './asset-checks.js';
import { METADATA_ENTRY_FIELDS } from './metadata.js';

/** What a run summary reads (status, steps, materializations with their metadata). */
export const RUN_FIELDS = `runId status startTime endTime creationTime
  tags { key value }
  assetSelection { path }
  stepStats { stepKey status startTime endTime }
  assetMaterializations { assetKey { path } timestamp stepKey metadataEntries { ${METADATA_ENTRY_FIELDS} } }`;

/** Every asset node with whether it can be materialized here. */
export const EXECUTABLE_ASSETS = '{ assetNodes { assetKey { path } isExecutable } }';

/** Op name → asset keys: which node a step belongs to. */
export const ASSET_OPS = '{ assetNodes { assetKey { path } opNames } }';

/** Launch a selection of the asset job (on a local instance or a deployment). */
export const LAUNCH_RUN = `
    mutation ($params: ExecutionParams!) {
      launchPipelineExecution(executionParams: $params) {
        __typename
        ... on LaunchRunSuccess {
          run {
            runId
          }
        }
        ... on PythonError {
          message
        }
        ... on InvalidSubsetError {
          message
        }
        ... on RunConfigValidationInvalid {
          errors {
            message
          }
        }
        ... on PipelineNotFoundError {
          message
        }
        ... on InvalidStepError {
          invalidStepKey
        }
        ... on ConflictingExecutionParamsError {
          message
        }
        ... on PresetNotFoundError {
          message
        }
        ... on UnauthorizedError {
          message
        }
        ... on RunConflict {
          message
        }
        ... on NoModeProvidedError {
          message
        }
      }
    }
  `;

/** The latest run ids (a `dg launch` finds its run among the new ones). */
export const RECENT_RUN_IDS = '{ runsOrError(limit: 10) { ... on Runs { results { runId } } } }';

/** The run configuration a selection takes, as Dagster's config types. */
export const RUN_CONFIG_SCHEMA = `
    query ($selector: PipelineSelector!) {
      runConfigSchemaOrError(selector: $selector) {
        __typename
        ... on RunConfigSchema {
          rootConfigType {
            key
          }
          allConfigTypes {
            __typename
            key
            description
            isSelector
            typeParamKeys
            ... on RegularConfigType {
              givenName
            }
            ... on EnumConfigType {
              givenName
              values {
                value
                description
              }
            }
            ... on CompositeConfigType {
              fields {
                name
                description
                isRequired
                configTypeKey
                defaultValueAsJson
              }
            }
            ... on ScalarUnionConfigType {
              scalarTypeKey
              nonScalarTypeKey
            }
          }
        }
        ... on PythonError {
          message
        }
        ... on InvalidSubsetError {
          message
        }
        ... on PipelineNotFoundError {
          message
        }
      }
    }
  `;

/** Whether an instance has a run. */
export const RUN_EXISTS = 'query($id: ID!) { runOrError(runId: $id) { __typename } }';

/** One run. */
export const RUN = `query($id: ID!) { runOrError(runId: $id) { __typename ... on Run { ${RUN_FIELDS} } ... on RunNotFoundError { message } } }`;

/** A page of the run history, newest first. */
export const RUNS_PAGE = `query($limit: Int, $cursor: String) { runsOrError(limit: $limit, cursor: $cursor) { __typename ... on Runs { results { ${RUN_FIELDS} } } } }`;

/** Cancel a run. */
export const TERMINATE_RUN =
  'mutation($id: String!) { terminateRun(runId: $id) { __typename ... on TerminateRunFailure { message } ... on PythonError { message } ... on RunNotFoundError { message } } }';

/** A run's log events after a cursor. */
export const RUN_LOGS = `
    query ($id: ID!, $cursor: String) {
      logsForRun(runId: $id, afterCursor: $cursor) {
        __typename
        ... on EventConnection {
          cursor
          hasMore
          events {
            __typename
            ... on MessageEvent {
              message
              timestamp
              level
              stepKey
            }
            ... on ExecutionStepFailureEvent {
              error {
                message
                causes {
                  message
                }
              }
            }
            ... on RunFailureEvent {
              error {
                message
                causes {
                  message
                }
              }
            }
            ... on LogsCapturedEvent {
              fileKey
              stepKeys
            }
            ... on AssetCheckEvaluationEvent {
              evaluation { ${EVALUATION_FIELDS} }
            }
          }
        }
      }
    }
  `;

/** A step's captured stderr. */
export const CAPTURED_STDERR = 'query($key: [String!]!) { capturedLogs(logKey: $key) { stderr } }';
