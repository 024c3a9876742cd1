// Project code the designer can add on request (a DuckDB connection for SQL components).
import { ConnectionAdded } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { addDuckDbConnection } from '../../../services/project-templates.js';
import { routes } from '../../schemas.js';

const templates: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'files');
  api.post(
    '/projects/:id/components/duckdb-connection',
    'Add a DuckDB connection component (SQLClient) to the project, and the duckdb library; never overwrites',
    { response: { 200: ConnectionAdded } },
    async ({ project, root }) => addDuckDbConnection(root, project.package_name, app.services),
  );
};
export default templates;
