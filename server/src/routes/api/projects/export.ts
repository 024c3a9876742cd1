// GET /projects/:id/export.zip: sync, then stream the runnable project as a ZIP. It writes (the sync), yet stays
// a GET so the download works as a link: the security plugin holds every API GET to the same-origin rule as writes.
import { PassThrough } from 'node:stream';
import { ErrorBody } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { loadReadyProject, ProjectParams } from '../../../plugins/project-loader.js';
import { exportName, writeProjectZip } from '../../../services/zip-writer.js';

const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { sync } = app.services;
  app.get(
    '/projects/:id/export.zip',
    {
      preHandler: loadReadyProject,
      schema: {
        tags: ['hand-over'],
        summary: 'The runnable Dagster project as a ZIP (uv sync && dg dev), without venv, state or secrets',
        params: ProjectParams,
        produces: ['application/zip'],
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }),
          '4xx': ErrorBody,
          '5xx': ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { project, root } = request;
      const synced = await sync.ensureSynced(project, root);
      const errors = synced.problems.filter((p) => p.severity === 'error').length;
      const body = new PassThrough();
      writeProjectZip(project, root, body).catch((error: unknown) => {
        request.log.error({ err: error }, 'export failed while streaming');
        body.destroy(error instanceof Error ? error : new Error(String(error)));
      });
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${exportName(project)}"`)
        .header('x-designer-problems', String(errors))
        .header('cache-control', 'no-store')
        .send(body as unknown as Buffer);
    },
  );
};
export default exportRoutes;
