// What a route that reads the local instance (automation, asset checks) answers with: the instance when it serves
// the project's current code; otherwise it is started (or its code location reloaded) in the background, and the
// route answers its status meanwhile ('starting' for one that is up but reloading), with empty lists.
import type { DagsterInstanceService, Instance } from './dagster-instance.js';

export type CurrentInstance =
  { instance: Instance; status: 'ready' } | { instance: null; status: 'stopped' | 'starting' | 'failed' };

export function currentInstance(
  instances: DagsterInstanceService,
  projectId: string,
  root: string,
): CurrentInstance {
  const instance = instances.get(projectId);
  if (instance && instances.isCurrent(projectId)) return { instance, status: 'ready' };
  const state = instance ? instances.state(projectId) : instances.warm(projectId, root);
  if (instance) void instances.ensure(projectId, root).catch(() => undefined); // reloads the code location
  return { instance: null, status: state.status === 'ready' ? 'starting' : state.status };
}
