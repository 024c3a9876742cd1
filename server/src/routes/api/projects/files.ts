// The generated Dagster project as files: the tree, the text of one file, and writes of the files the user owns
// (scripts, SQL, README, modules). A managed node's defs.yaml is written only through the graph (its YAML view).
import { ProjectFileContent, ProjectFileEntry, WrittenFile } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ProjectParams } from '../../../plugins/project-loader.js';
import { listProjectFiles, writeOwnedFile } from '../../../services/project-files.js';
import { readTextFile } from '../../../services/workspace-files.js';
import { routes } from '../../schemas.js';

const FileParams = Type.Object({ ...ProjectParams.properties, '*': Type.String({ maxLength: 1000 }) });

const files: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'files');
  api.get(
    '/projects/:id/files',
    'Files of the generated project (no venv, caches or secrets)',
    { response: { 200: Type.Array(ProjectFileEntry) } },
    ({ project, root }) => listProjectFiles(project, root),
  );

  api.get(
    '/projects/:id/files/*',
    'The text of one project file (≤ 1 MiB); its hash is also the ETag',
    { params: FileParams, response: { 200: ProjectFileContent } },
    async ({ root, params }, reply) => {
      const file = await readTextFile(root, params['*']);
      void reply.header('etag', `"${file.hash}"`).header('cache-control', 'no-store');
      return file;
    },
  );

  api.put(
    '/projects/:id/files/*',
    'Create or replace a text file the user owns (atomic; If-Match: <hash> for an existing file, 409 when it changed)',
    {
      params: FileParams,
      headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 200 })) }),
      body: Type.Object({ content: Type.String() }, { additionalProperties: false }),
      response: { 200: WrittenFile },
      bodyLimit: 4 * 1024 * 1024,
    },
    async ({ project, root, params, body, headers }, reply) => {
      const written = await writeOwnedFile(
        app.services,
        project,
        root,
        params['*'],
        body.content,
        headers['if-match'],
      );
      void reply.header('etag', `"${written.hash}"`);
      return written;
    },
  );
};
export default files;
