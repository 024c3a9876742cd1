// Project code the designer can add on request (a DuckDB connection for SQL components).
import { ErrorBody } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { addDuckDbConnection } from '../../../services/project-templates.js';

const templates: FastifyPluginAsyncTypebox = async (app) => {
  const { projects, workspaces } = app.services;

  app.post(
    '/projects/:id/components/duckdb-connection',
    {
      schema: {
        tags: ['files'],
        summary:
          'Add a DuckDB connection component (SQLClient) to the project, and the duckdb library; never overwrites',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: {
          200: Type.Object({
            componentType: Type.String(),
            written: Type.Array(Type.String()),
            installed: Type.Array(Type.String()),
          }),
          '4xx': ErrorBody,
          '5xx': ErrorBody,
        },
      },
    },
    async (request) => {
      const project = await projects.read(request.params.id);
      const root = workspaces.requireReady(project.id);
      return addDuckDbConnection(root, project.package_name, app.services);
    },
  );
};
export default templates;
