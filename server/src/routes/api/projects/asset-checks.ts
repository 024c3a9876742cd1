// Asset checks on the project's local Dagster instance: every check the loaded definitions declare, with its last
// result (passed / failed, severity, why).
import { AssetCheckResults, ErrorBody } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listCheckResults } from '../../../services/asset-checks.js';

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });

const assetChecks: FastifyPluginAsyncTypebox = async (app) => {
  const { projects, workspaces, instances } = app.services;

  app.get(
    '/projects/:id/asset-checks',
    {
      schema: {
        tags: ['runs'],
        summary:
          "Every asset check with its last result on the project's local instance (starts it in the background when stopped; the list is empty until it is ready)",
        params: Params,
        response: { 200: AssetCheckResults, '4xx': ErrorBody, '5xx': ErrorBody },
      },
    },
    async (request) => {
      const project = await projects.read(request.params.id);
      const root = workspaces.requireReady(project.id);
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
