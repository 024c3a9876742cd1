// Asset checks on the project's local Dagster instance: every check the loaded definitions declare, with its last
// result (passed / failed, severity, why).
import { AssetCheckResults } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listCheckResults } from '../../../services/asset-checks.js';
import { route } from '../../schemas.js';

const assetChecks: FastifyPluginAsyncTypebox = async (app) => {
  const { instances } = app.services;

  app.get(
    '/projects/:id/asset-checks',
    route(
      'runs',
      "Every asset check with its last result on the project's local instance (starts it in the background when stopped; the list is empty until it is ready)",
      { response: { 200: AssetCheckResults } },
    ),
    async ({ project, root }) => {
      const instance = instances.get(project.id);
      if (!instance || !instances.isCurrent(project.id)) {
        const state = instance ? instances.state(project.id) : instances.warm(project.id, root);
        if (instance) void instances.ensure(project.id, root).catch(() => undefined); // reloads the code location
        return { instance: state.status === 'ready' ? 'starting' : state.status, checks: [] };
      }
      return { instance: 'ready' as const, checks: await listCheckResults(instance, project) };
    },
  );
};
export default assetChecks;
