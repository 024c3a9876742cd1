import {
  ComponentCatalog,
  ComponentSchema,
  isComponentType,
  MAX_COMPONENT_TYPE_LENGTH,
} from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { badRequest } from '../../../errors.js';
import type { Services } from '../../../types.js';
import { routes } from '../../schemas.js';

const Query = Type.Object({ project: Type.Optional(Type.String({ maxLength: 64 })) });
const TypeParams = Type.Object({ type: Type.String({ maxLength: MAX_COMPONENT_TYPE_LENGTH }) });

// With ?project= this runs dg in the project (its own components): a GET with a side effect, which the security
// plugin holds to the same-origin rule as writes.

/** The environment to ask: the project's own workspace, or the shared catalog environment. */
async function environmentRoot(services: Services, projectId: string | undefined): Promise<string> {
  await services.toolchain.assertReady();
  if (projectId === undefined) return services.catalogEnv.requireReady();
  await services.projects.read(projectId);
  return services.workspaces.requireReady(projectId);
}

const components: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'components');
  api.get(
    '/components',
    'Components installed in the environment',
    { querystring: Query, response: { 200: ComponentCatalog } },
    async (request) => {
      const root = await environmentRoot(app.services, request.query.project);
      const { entries, cached, durationMs } = await app.services.catalog.list(root);
      return {
        components: entries.map(({ type, name, module, category, summary, description, scaffoldable }) => ({
          type,
          name,
          module,
          category,
          summary,
          description,
          scaffoldable,
        })),
        source: request.query.project ? ('project' as const) : ('catalog' as const),
        cached,
        durationMs,
      };
    },
  );

  api.get(
    '/components/:type/schema',
    "JSON schema of a component's attributes",
    { params: TypeParams, querystring: Query, response: { 200: ComponentSchema } },
    async (request) => {
      const { type } = request.params;
      if (!isComponentType(type)) {
        throw badRequest(
          'invalid_component_type',
          `"${type.slice(0, 80)}" is not a component type.`,
          'Use the full Python path, e.g. dagster.PythonScriptComponent.',
        );
      }
      const root = await environmentRoot(app.services, request.query.project);
      return app.services.catalog.schema(root, type);
    },
  );
};
export default components;
