// Deploy after a push: reload the deployment's code location that serves the project (OSS:
// `reloadRepositoryLocation`), wait until it has loaded, and put its load error on the node that caused it, as a
// preview does with the same load error locally.
import type { DeploymentReload, Problem, ProjectFile } from '@designer/shared';
import { AppError } from '../../errors.js';
import { RELOAD_DEPLOYMENT_LOCATION } from '../graphql/deployment.js';
import { dgProblems } from '../sync/problems.js';
import type { DeploymentClient } from './client.js';
import { servingLocationOf, type ServingLocation } from './observe.js';

const RELOAD_TIMEOUT_MS = 180_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The deployment's checkout of the project, as its traceback shows it: the folder holding `src/<pkg>/`
 * (the deployment's paths are not the designer's). Undefined when no frame is in the package.
 */
export function deploymentRoot(errorText: string, packageName: string): string | undefined {
  const marker = `/src/${packageName}/`;
  for (const m of errorText.matchAll(/(?:File "|at |in ")(\/[^":\s]+)/g)) {
    const at = m[1]!.indexOf(marker);
    if (at > 0) return m[1]!.slice(0, at);
  }
  return undefined;
}

/** A location's load error as problems on the nodes that caused it (the preview's attribution, reused). */
export function loadErrorProblems(
  project: ProjectFile,
  deploymentName: string,
  errorText: string,
): Problem[] {
  const root = deploymentRoot(errorText, project.package_name) ?? '/nonexistent-deployment-root';
  return dgProblems(errorText, project, root, `On "${deploymentName}"`).map((p) => ({
    ...p,
    hint: p.hint ?? 'Fix it in the designer, push, and reload the deployment.',
  }));
}

/** Reloads the serving location, waits for it to load, and answers its state with its error on nodes. */
export async function reloadDeployment(
  client: DeploymentClient,
  project: ProjectFile,
  signal?: AbortSignal,
  timeoutMs = RELOAD_TIMEOUT_MS,
): Promise<{ reload: Omit<DeploymentReload, 'code'>; location: ServingLocation }> {
  const started = performance.now();
  const before = await servingLocationOf(client, project.package_name, signal);
  const data = await client.query<{ reloadRepositoryLocation: { __typename: string; message?: string } }>(
    RELOAD_DEPLOYMENT_LOCATION,
    { name: before.entry.name },
    signal,
  );
  const answer = data.reloadRepositoryLocation;
  if (answer.__typename !== 'WorkspaceLocationEntry')
    throw new AppError(
      answer.__typename === 'UnauthorizedError' ? 403 : answer.__typename === 'PythonError' ? 502 : 409,
      answer.__typename === 'ReloadNotSupported' ? 'reload_not_supported' : 'reload_refused',
      `"${client.deployment.name}" did not reload "${before.entry.name}": ${answer.message ?? answer.__typename}`,
      answer.__typename === 'ReloadNotSupported'
        ? 'This code location cannot be reloaded through the webserver (Dagster+ loads a new deploy on its own: let its CI deploy the commit).'
        : answer.__typename === 'UnauthorizedError'
          ? 'Use a token whose user may reload code locations.'
          : undefined,
    );
  // The mutation may answer while the location is still loading: wait until it has (loaded or failed).
  const deadline = Date.now() + timeoutMs;
  let location = await servingLocationOf(client, project.package_name, signal);
  while (location.state.status === 'loading') {
    if (Date.now() > deadline)
      throw new AppError(
        504,
        'reload_timeout',
        `"${before.entry.name}" on "${client.deployment.name}" was still loading after ${Math.round(timeoutMs / 1000)} s.`,
        'Its code server may be slow to start; look at the deployment and try again.',
      );
    await sleep(500);
    location = await servingLocationOf(client, project.package_name, signal);
  }
  return {
    reload: {
      location: location.state,
      problems: location.errorText
        ? loadErrorProblems(project, client.deployment.name, location.errorText)
        : [],
      durationMs: Math.round(performance.now() - started),
    },
    location,
  };
}
