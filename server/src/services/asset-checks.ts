// Asset checks on a project's local Dagster instance, through its GraphQL API only: every check of the loaded
// definitions (assetNodes → assetChecksOrError) with its latest execution (assetCheckExecutions, limit 1).
import {
  checkStatusOf,
  declaredAssetKeys,
  type AssetCheckResult,
  type CheckEvaluation,
  type ProjectFile,
} from '@designer/shared';
import { graphql, type Instance } from './dagster-instance.js';
import { ASSET_CHECKS, latestCheckExecutions } from './graphql/asset-checks.js';
import { metadataOf, type RawMetadataEntry } from './graphql/metadata.js';

export interface RawEvaluation {
  checkName: string;
  assetKey: { path: string[] };
  success: boolean;
  severity: 'ERROR' | 'WARN';
  description: string | null;
  metadataEntries: RawMetadataEntry[];
}

/** A check's evaluation as the designer shows it. */
export function evaluationOf(raw: RawEvaluation): CheckEvaluation {
  const out: CheckEvaluation = {
    asset: raw.assetKey.path.join('/'),
    name: raw.checkName,
    passed: raw.success,
    severity: raw.severity,
  };
  if (raw.description) out.description = raw.description;
  if (raw.metadataEntries.length > 0) out.metadata = metadataOf(raw.metadataEntries);
  return out;
}

interface RawCheck {
  name: string;
  description: string | null;
  blocking: boolean;
}
interface RawExecution {
  runId: string;
  status: string;
  timestamp: number;
  evaluation: RawEvaluation | null;
}

/** The node that declares an asset (declared keys only; the web maps the others through the preview). */
function ownerOfAsset(project: ProjectFile): (asset: string) => string | undefined {
  const owner = new Map<string, string>();
  for (const node of project.graph.nodes)
    for (const key of declaredAssetKeys(node) ?? []) if (!owner.has(key)) owner.set(key, node.id);
  return (asset) => owner.get(asset);
}

/** Every asset check the instance's code location defines, with its latest execution's result. */
export async function listCheckResults(
  instance: Instance,
  project: ProjectFile,
): Promise<AssetCheckResult[]> {
  const data = await graphql<{
    assetNodes: Array<{
      assetKey: { path: string[] };
      assetChecksOrError: { __typename: string; checks?: RawCheck[] };
    }>;
  }>(instance, ASSET_CHECKS);
  const checks = data.assetNodes.flatMap((n) =>
    (n.assetChecksOrError.checks ?? []).map((c) => ({ path: n.assetKey.path, ...c })),
  );
  if (checks.length === 0) return [];
  // One request for every check's latest execution (aliased fields).
  const latest = await graphql<Record<string, RawExecution[]>>(
    instance,
    latestCheckExecutions(checks.length),
    Object.fromEntries(
      checks.flatMap((c, i) => [
        [`k${i}`, { path: c.path }],
        [`n${i}`, c.name],
      ]),
    ),
  );
  const ownerOf = ownerOfAsset(project);
  return checks.map((c, i) => {
    const asset = c.path.join('/');
    const execution = latest[`c${i}`]?.[0];
    const result: AssetCheckResult = {
      key: `${asset}:${c.name}`,
      asset,
      name: c.name,
      blocking: c.blocking,
      status: checkStatusOf(execution?.status, execution?.evaluation?.success),
    };
    if (c.description) result.description = c.description;
    if (execution) {
      result.runId = execution.runId;
      result.at = new Date(execution.timestamp * 1000).toISOString();
      if (execution.evaluation) result.evaluation = evaluationOf(execution.evaluation);
    }
    const nodeId = ownerOf(asset);
    if (nodeId) result.nodeId = nodeId;
    return result;
  });
}
