// Asking a local instance how it is: a free port to start one on, whether its code location has loaded (or
// failed), a reload of that location, and the runs still going.
import net from 'node:net';
import { AppError } from '../errors.js';
import type { Instance } from './dagster-instance.js';
import { graphql, graphqlAt } from './graphql/client.js';
import {
  ACTIVE_RUNS,
  RELOAD_LOCATION,
  WORKSPACE_LOCATIONS,
  type RawLoadOutcome,
} from './graphql/instance.js';
import { sleep } from './process-groups.js';

/** How long a start (or a reload) may take before it is given up. */
export const START_TIMEOUT_MS = 180_000;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function reloadLocation(instance: Instance): Promise<void> {
  await graphql(instance, RELOAD_LOCATION, { name: instance.location });
  // The mutation may answer while the location is still loading: wait until it has.
  const deadline = Date.now() + START_TIMEOUT_MS;
  while ((await probe(instance.url)) === null) {
    if (Date.now() > deadline)
      throw new AppError(504, 'reload_timeout', 'Dagster did not reload the project within 3 minutes.');
    await sleep(100);
  }
}

/** The code location's name once the webserver answers and the location has loaded; null before. */
export async function probe(url: string): Promise<string | null> {
  const data = await graphqlAt<{
    workspaceOrError: {
      locationEntries?: Array<{
        name: string;
        locationOrLoadError: RawLoadOutcome;
      }>;
    };
  }>(url, WORKSPACE_LOCATIONS);
  const entry = data.workspaceOrError.locationEntries?.[0];
  if (!entry || !entry.locationOrLoadError) return null;
  if (entry.locationOrLoadError.__typename === 'PythonError') {
    // Dagster's own message only says where it loaded from; the causes say what went wrong.
    const causes = (entry.locationOrLoadError.causes ?? []).map((c) => c.message.trim()).filter(Boolean);
    throw new AppError(
      422,
      'definitions_failed',
      `Dagster cannot load the project: ${[entry.locationOrLoadError.message ?? '', ...causes].join('\n')}`.trim(),
      'Preview the project to see the problem on its component.',
      { location: entry.name },
    );
  }
  return entry.name;
}

/** How many runs of the instance are queued or in progress. */
export async function activeRuns(instance: Instance): Promise<number> {
  const data = await graphql<{ runsOrError: { results?: unknown[] } }>(instance, ACTIVE_RUNS);
  return data.runsOrError.results?.length ?? 0;
}
