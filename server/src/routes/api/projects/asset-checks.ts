// Asset checks on the project's local Dagster instance: every check the loaded definitions declare, with its last
// result (passed / failed, severity, why).
import { AssetCheckResults } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listCheckResults } from '../../../services/asset-checks.js';
import { currentInstance } from '../../../services/current-instance.js';
import { routes } from '../../schemas.js';

const assetChecks: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'runs');
  const { instances } = app.services;

  api.get(
    '/projects/:id/asset-checks',
    "Every asset check with its last result on the project's local instance (starts it in the background when stopped; the list is empty until it is ready)",
    { response: { 200: AssetCheckResults } },
    async ({ project, root }) => {
      const { instance, status } = currentInstance(instances, project.id, root);
      return { instance: status, checks: instance ? await listCheckResults(instance, project) : [] };
    },
  );
};
export default assetChecks;
