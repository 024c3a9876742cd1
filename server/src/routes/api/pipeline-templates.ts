// The project templates "New project" offers (server/templates/projects/); POST /projects { template } uses one.
import { PipelineTemplateSummary } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listTemplates, summarizeTemplate } from '../../services/pipeline-templates.js';
import { routes } from '../schemas.js';

const pipelineTemplateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'projects');
  api.get(
    '/templates',
    'Project templates: each a working pipeline a new project can start with',
    { response: { 200: Type.Array(PipelineTemplateSummary) } },
    async () => (await listTemplates()).map(summarizeTemplate),
  );
};
export default pipelineTemplateRoutes;
