// Import an existing Dagster project into an empty designer project:
// POST /projects/:id/import with { source: folder|git, … }, or POST /projects/:id/import.zip with the archive.
import { ErrorBody, Problem, ProjectFile } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { badRequest } from '../../../errors.js';

export const MAX_ZIP_UPLOAD = 50 * 1024 * 1024;

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ImportBody = Type.Union([
  Type.Object({ source: Type.Literal('folder'), path: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false }),
  Type.Object(
    { source: Type.Literal('git'), remote: Type.String({ minLength: 1, maxLength: 2000 }), branch: Type.Optional(Type.String({ maxLength: 200 })), token: Type.Optional(Type.String({ maxLength: 4096 })), username: Type.Optional(Type.String({ maxLength: 200 })) },
    { additionalProperties: false },
  ),
]);
const response = { 200: Type.Object({ project: ProjectFile, problems: Type.Array(Problem), source: Type.String() }), '4xx': ErrorBody, '5xx': ErrorBody };

const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser('application/zip', { parseAs: 'buffer', bodyLimit: MAX_ZIP_UPLOAD }, (_request, body, done) => done(null, body));

  app.post('/projects/:id/import', { schema: { tags: ['hand-over'], summary: 'Import a Dagster project from a folder on this machine or a Git repository', params: Params, body: ImportBody, response } }, async (request) => {
    await app.services.toolchain.assertReady();
    const body = request.body;
    const source = body.source === 'folder' ? ({ kind: 'folder', path: body.path } as const) : ({ kind: 'git', remote: body.remote, branch: body.branch, token: body.token, username: body.username } as const);
    return app.services.importer.import(request.params.id, source);
  });

  app.post('/projects/:id/import.zip', { bodyLimit: MAX_ZIP_UPLOAD, schema: { tags: ['hand-over'], summary: 'Import a Dagster project from a ZIP (Content-Type: application/zip, ≤ 50 MiB)', params: Params, response } }, async (request) => {
    await app.services.toolchain.assertReady();
    if (!Buffer.isBuffer(request.body)) throw badRequest('invalid_import', 'Send the ZIP as the body with Content-Type: application/zip.');
    return app.services.importer.import(request.params.id, { kind: 'zip', data: request.body });
  });
};
export default importRoutes;
