// The connection test of a deployment: reachable, its Dagster version, its code locations and their load
// status, and which location serves this project's Python package.
import type { ConnectionTest, DeploymentLocation } from '@designer/shared';
import { AppError } from '../../errors.js';
import { CONNECTION_TEST_QUERY } from '../graphql/deployment.js';
import type { RawLoadOutcome } from '../graphql/instance.js';
import type { DeploymentClient } from './client.js';

interface Answer {
  version?: string;
  workspaceOrError: {
    __typename: string;
    message?: string;
    locationEntries?: Array<{
      name: string;
      loadStatus: 'LOADING' | 'LOADED';
      displayMetadata: Array<{ key: string; value: string }>;
      locationOrLoadError: RawLoadOutcome;
    }>;
  };
}

/** Display metadata keys that name the Python code a location loads (workspace.yaml / dagster_cloud.yaml). */
const CODE_KEYS = ['autoload_defs_module_name', 'module_name', 'package_name', 'python_file'];

/** The Python package a location loads, as its metadata tells (`pkg.definitions` → `pkg`), or undefined. */
export function locationPackage(metadata: Array<{ key: string; value: string }>): string | undefined {
  for (const key of CODE_KEYS) {
    const value = metadata.find((m) => m.key === key)?.value;
    if (!value) continue;
    if (key === 'python_file') {
      // src/<pkg>/definitions.py → <pkg>
      const parts = value.split(/[\\/]/).filter(Boolean);
      if (parts.length >= 2) return parts[parts.length - 2];
      continue;
    }
    return value.split('.')[0];
  }
  return undefined;
}

/** The location that serves `packageName`: by the package its metadata names, else by its name. */
export function servingLocation(locations: DeploymentLocation[], packageName: string): string | undefined {
  const dashed = packageName.replace(/_/g, '-');
  return (
    locations.find((l) => l.package === packageName)?.name ??
    locations.find((l) => !l.package && (l.name === packageName || l.name === dashed))?.name
  );
}

/** A load error with its causes (the user's own exception is usually the last cause, not the message). */
export function loadError(error: { message?: string; causes?: Array<{ message: string }> }): string {
  return [error.message, ...(error.causes ?? []).map((c) => c.message)]
    .filter((m): m is string => !!m)
    .map((m) => m.trim())
    .join('\nCaused by: ');
}

export async function testConnection(
  client: DeploymentClient,
  packageName: string,
  signal?: AbortSignal,
): Promise<ConnectionTest> {
  let answer: Answer;
  try {
    answer = await client.query<Answer>(CONNECTION_TEST_QUERY, {}, signal);
  } catch (error) {
    // Auth and validation problems stay errors (the caller fixes the token or the URL); an unreachable or
    // non-Dagster address is an answer: reachable false, with the reason.
    if (error instanceof AppError && error.statusCode >= 500)
      return { reachable: false, locations: [], message: error.message, hint: error.hint };
    throw error;
  }
  const workspace = answer.workspaceOrError;
  if (workspace.__typename !== 'Workspace')
    return {
      reachable: true,
      version: answer.version,
      locations: [],
      message: `The deployment could not list its code locations: ${workspace.message ?? workspace.__typename}`,
      hint: 'Look at the webserver’s log; its workspace.yaml may be broken.',
    };
  const locations: DeploymentLocation[] = (workspace.locationEntries ?? []).map((entry) => {
    const loaded = entry.locationOrLoadError;
    const status =
      entry.loadStatus === 'LOADING' ? 'loading' : loaded?.__typename === 'PythonError' ? 'error' : 'loaded';
    const pkg = locationPackage(entry.displayMetadata);
    return {
      name: entry.name,
      status,
      ...(status === 'error' && loaded?.message ? { error: loadError(loaded).slice(0, 4000) } : {}),
      ...(pkg ? { package: pkg } : {}),
    };
  });
  const serves = servingLocation(locations, packageName);
  const version = answer.version ? ` (Dagster ${answer.version})` : '';
  const count = `${locations.length} code location${locations.length === 1 ? '' : 's'}`;
  if (!serves)
    return {
      reachable: true,
      version: answer.version,
      locations,
      message: `Connected${version}: ${count}, none of which serves the package "${packageName}".`,
      hint:
        'Add a code location for this project to the deployment (workspace.yaml or dagster_cloud.yaml), ' +
        'loading the branch the designer pushes to.',
    };
  const location = locations.find((l) => l.name === serves)!;
  return {
    reachable: true,
    version: answer.version,
    locations,
    servesProject: serves,
    message:
      location.status === 'error'
        ? `Connected${version}: location "${serves}" serves "${packageName}" but failed to load.`
        : `Connected${version}: ${count}; "${serves}" serves "${packageName}"${location.status === 'loading' ? ' (loading)' : ''}.`,
    ...(location.status === 'error'
      ? { hint: 'Its load error is listed with the location; fix the code and push again, then reload it.' }
      : {}),
  };
}
