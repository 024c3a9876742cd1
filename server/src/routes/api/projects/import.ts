// Import an existing Dagster project into an empty designer project:
// POST /projects/:id/import with { source: folder|git, … }, or POST /projects/:id/import.zip with the archive.
import { ImportedProject, pathProblem } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ImportSource } from '../../../services/importer.js';
import { badRequest } from '../../../errors.js';
import { printable } from '../../../lib/safe-path.js';
import { routes } from '../../schemas.js';

export const MAX_ZIP_UPLOAD = 50 * 1024 * 1024;

const ImportBody = Type.Union([
  Type.Object(
    { source: Type.Literal('folder'), path: Type.String({ minLength: 1, maxLength: 4096 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      source: Type.Literal('git'),
      remote: Type.String({ minLength: 1, maxLength: 2000 }),
      branch: Type.Optional(Type.String({ maxLength: 200 })),
      token: Type.Optional(Type.String({ maxLength: 4096 })),
      username: Type.Optional(Type.String({ maxLength: 200 })),
    },
    { additionalProperties: false },
  ),
]);
const response = { 200: ImportedProject };

const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'hand-over');
  app.addContentTypeParser(
    'application/zip',
    { parseAs: 'buffer', bodyLimit: MAX_ZIP_UPLOAD },
    (_request, body, done) => done(null, body),
  );

  // No preHandler: the toolchain is checked first, then the project is read (importExclusively).
  api.post(
    '/projects/:id/import',
    'Import a Dagster project from a folder on this machine or a Git repository',
    { body: ImportBody, response, load: null },
    async (request) => {
      await app.services.toolchain.assertReady();
      const body = request.body;
      const source =
        body.source === 'folder'
          ? ({ kind: 'folder', path: folderPath(body.path) } as const)
          : ({
              kind: 'git',
              remote: body.remote,
              branch: body.branch,
              token: body.token,
              username: body.username,
            } as const);
      return importExclusively(request.params.id, source);
    },
  );

  api.post(
    '/projects/:id/import.zip',
    'Import a Dagster project from a ZIP (Content-Type: application/zip, ≤ 50 MiB)',
    { response, load: null, bodyLimit: MAX_ZIP_UPLOAD },
    async (request) => {
      await app.services.toolchain.assertReady();
      if (!Buffer.isBuffer(request.body))
        throw badRequest('invalid_import', 'Send the ZIP as the body with Content-Type: application/zip.');
      return importExclusively(request.params.id, { kind: 'zip', data: request.body });
    },
  );

  /** An import replaces the workspace: never while it is being created (409), and nothing else creates it meanwhile. */
  const importExclusively = async (id: string, source: ImportSource) => {
    await app.services.projects.read(id);
    return app.services.workspaces.exclusive(id, 'Importing the project', (report) =>
      app.services.importer.import(id, source, report),
    );
  };
};
/** An absolute folder path on this machine, held to the same rule as every other path from a request. */
function folderPath(raw: string): string {
  const trimmed = raw.length > 1 ? raw.replace(/\/+$/, '') : raw;
  if (!trimmed.startsWith('/'))
    throw badRequest('invalid_path', 'Give the absolute path of the project folder (starting with /).');
  const problem = trimmed === '/' ? null : pathProblem(trimmed.slice(1));
  if (problem)
    throw badRequest(
      'invalid_path',
      `The folder path "${printable(trimmed)}" ${problem}.`,
      'Give the absolute path of the folder, without "..", "\\", ":" or control characters.',
    );
  return trimmed;
}
export default importRoutes;
