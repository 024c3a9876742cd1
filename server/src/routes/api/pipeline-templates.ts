// The project templates "New project" offers (server/templates/projects/); POST /projects { template } uses one.
import { ErrorBody, PipelineTemplateSummary } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listTemplates, summarizeTemplate } from '../../services/pipeline-templates.js';

const pipelineTemplateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/templates',
    {
      schema: {
        tags: ['projects'],
        summary: 'Project templates: each a working pipeline a new project can start with',
        response: { 200: Type.Array(PipelineTemplateSummary), '5xx': ErrorBody },
      },
    },
    async () => (await listTemplates()).map(summarizeTemplate),
  );
};
export default pipelineTemplateRoutes;
