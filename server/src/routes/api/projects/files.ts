// The generated Dagster project as files: the tree, the text of one file, and writes of the files the user owns
// (scripts, SQL, README, modules). A managed node's defs.yaml is written only through the graph (its YAML view).
import {
  nodeLocation,
  ProjectFileContent,
  ProjectFileEntry,
  WrittenFile,
  type GraphNode,
} from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { loadReadyProject, ProjectParams } from '../../../plugins/project-loader.js';
import path from 'node:path';
import { AppError } from '../../../errors.js';
import { defsDirOf } from '../../../services/sync/state.js';
import { listFiles, readTextFile, writeTextFile } from '../../../services/workspace-files.js';
import { errors } from '../../schemas.js';

const FileParams = Type.Object({ ...ProjectParams.properties, '*': Type.String({ maxLength: 1000 }) });

const files: FastifyPluginAsyncTypebox = async (app) => {
  const { sync } = app.services;

  app.get(
    '/projects/:id/files',
    {
      preHandler: loadReadyProject,
      schema: {
        tags: ['files'],
        summary: 'Files of the generated project (no venv, caches or secrets)',
        params: ProjectParams,
        response: {
          200: Type.Array(ProjectFileEntry),
          ...errors,
        },
      },
    },
    async ({ project, root }) => {
      const managed = managedFiles(project, root);
      return (await listFiles(root)).map((f) =>
        managed.has(f.path) ? { ...f, managedBy: managed.get(f.path)! } : f,
      );
    },
  );

  app.get(
    '/projects/:id/files/*',
    {
      preHandler: loadReadyProject,
      schema: {
        tags: ['files'],
        summary: 'The text of one project file (≤ 1 MiB); its hash is also the ETag',
        params: FileParams,
        response: { 200: ProjectFileContent, ...errors },
      },
    },
    async (request, reply) => {
      const file = await readTextFile(request.root, request.params['*']);
      void reply.header('etag', `"${file.hash}"`).header('cache-control', 'no-store');
      return file;
    },
  );

  app.put(
    '/projects/:id/files/*',
    {
      bodyLimit: 4 * 1024 * 1024,
      preHandler: loadReadyProject,
      schema: {
        tags: ['files'],
        summary:
          'Create or replace a text file the user owns (atomic; If-Match: <hash> for an existing file, 409 when it changed)',
        params: FileParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: Type.Object({ content: Type.String() }, { additionalProperties: false }),
        response: { 200: WrittenFile, ...errors },
      },
    },
    async (request, reply) => {
      const { project, root } = request;
      const relative = request.params['*'];
      const owner = managedFiles(project, root).get(relative);
      if (owner) {
        const node = project.graph.nodes.find((n) => n.id === owner)!;
        throw new AppError(
          409,
          'managed_file',
          `${relative} is written by the designer from the node "${node.data.label}".`,
          "Edit it in the node's Advanced YAML view: it round-trips with the form.",
          { nodeId: owner },
        );
      }
      const written = await writeTextFile(root, relative, request.body.content, request.headers['if-match']);
      void reply.header('etag', `"${written.hash}"`);
      app.services.history?.fileEdited(project, relative);
      // Code under src/ is what Dagster loads: a running instance reloads its code location.
      if (relative.startsWith('src/')) sync.onChanged(project.id);
      return written;
    },
  );
};

/** The defs.yaml of each node the designer manages, by workspace-relative path → node id. */
function managedFiles(
  project: { package_name: string; graph: { nodes: GraphNode[] } },
  root: string,
): Map<string, string> {
  const defs = path.relative(root, defsDirOf(root, project.package_name)).split(path.sep).join('/');
  // A defs.yaml holding several components is managed too (by its first node); Python definitions are the user's.
  const managed = new Map<string, string>();
  for (const n of project.graph.nodes) {
    const file = `${defs}/${nodeLocation(n).path}`;
    if (n.type !== 'python' && !managed.has(file)) managed.set(file, n.id);
  }
  return managed;
}
export default files;
