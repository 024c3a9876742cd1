// GET /projects/:id/export.zip: sync, then stream the runnable project as a ZIP. It writes (the sync), yet stays
// a GET so the download works as a link: the security plugin holds every API GET to the same-origin rule as writes.
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { exportName, writeProjectZip } from '../../../services/zip-writer.js';
import { routes } from '../../schemas.js';

const Zip = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' });

const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'hand-over');
  const { sync } = app.services;
  api.get(
    '/projects/:id/export.zip',
    'The runnable Dagster project as a ZIP (uv sync && dg dev), without venv, state or secrets',
    { produces: ['application/zip'], response: { 200: Zip } },
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
