// The generated Dagster project as files (read-only here; editing arrives with the code editor).
import { ErrorBody } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listFiles, readTextFile } from '../../../services/workspace-files.js';

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const errors = { '4xx': ErrorBody, '5xx': ErrorBody };

const files: FastifyPluginAsyncTypebox = async (app) => {
  const { projects, workspaces } = app.services;

  app.get('/projects/:id/files', { schema: { tags: ['files'], summary: 'Files of the generated project (no venv, caches or secrets)', params: Params, response: { 200: Type.Array(Type.Object({ path: Type.String(), size: Type.Integer() })), ...errors } } }, async (request) => {
    await projects.read(request.params.id);
    return listFiles(workspaces.requireReady(request.params.id));
  });

  app.get('/projects/:id/files/*', { schema: { tags: ['files'], summary: 'The text of one project file (≤ 1 MiB)', params: Type.Object({ id: Type.String({ maxLength: 64 }), '*': Type.String({ maxLength: 1000 }) }), response: { 200: Type.Object({ path: Type.String(), content: Type.String(), size: Type.Integer() }), ...errors } } }, async (request) => {
    await projects.read(request.params.id);
    return readTextFile(workspaces.requireReady(request.params.id), request.params['*']);
  });
};
export default files;
