// Project code the designer can add on request (a DuckDB connection for SQL components).
import { ConnectionAdded, ErrorBody } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { loadReadyProject, ProjectParams } from '../../../plugins/project-loader.js';
import { addDuckDbConnection } from '../../../services/project-templates.js';

const templates: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/projects/:id/components/duckdb-connection',
    {
      preHandler: loadReadyProject,
      schema: {
        tags: ['files'],
        summary:
          'Add a DuckDB connection component (SQLClient) to the project, and the duckdb library; never overwrites',
        params: ProjectParams,
        response: {
          200: ConnectionAdded,
          '4xx': ErrorBody,
          '5xx': ErrorBody,
        },
      },
    },
    async ({ project, root }) => addDuckDbConnection(root, project.package_name, app.services),
  );
};
export default templates;
