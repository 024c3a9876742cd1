// The GraphQL documents of asset checks on a local instance (services/asset-checks.ts sends them; a run's log
// reads the same evaluation fields).
import { METADATA_ENTRY_FIELDS } from './metadata.js';

/** The fields of an `AssetCheckEvaluation` (a run's `AssetCheckEvaluationEvent.evaluation`, an execution's). */
export const EVALUATION_FIELDS = `checkName assetKey { path } success severity description metadataEntries { ${METADATA_ENTRY_FIELDS} }`;

/** Every asset check of the code location, by asset. */
export const ASSET_CHECKS = `
      {
        assetNodes {
          assetKey {
            path
          }
          assetChecksOrError {
            __typename
            ... on AssetChecks {
              checks {
                name
                description
                blocking
              }
            }
          }
        }
      }
    `;

/** The latest execution of `count` checks in one request: `$k<i>`/`$n<i>` (asset key, check name) → `c<i>`. */
export const latestCheckExecutions = (count: number) =>
  `query (${Array.from({ length: count }, (_, i) => `$k${i}: AssetKeyInput!, $n${i}: String!`).join(', ')}) {
      ${Array.from(
        { length: count },
        (_, i) =>
          `c${i}: assetCheckExecutions(assetKey: $k${i}, checkName: $n${i}, limit: 1) { runId status timestamp evaluation { ${EVALUATION_FIELDS} } }`,
      ).join('\n')}
    }`;
