// Snippets (issue 18): save a selection of a project as a snippet, list, export, import and delete snippets, and
// insert one into a project (nodes renamed where taken, edges rewired, files written, saved as a new version).
import path from 'node:path';
import {
  insertSnippet,
  InsertedSnippet,
  InsertSnippetBody,
  ListedSnippet,
  MAX_SNIPPET_BYTES,
  SavedSnippet,
  SaveSnippetBody,
  Snippet,
  SnippetName,
  SnippetSummary,
  summarizeSnippet,
} from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { conflict } from '../../errors.js';
import { loadProject, ProjectParams, readyProject } from '../../plugins/project-loader.js';
import {
  defsFolders,
  newNodeId,
  parseSnippet,
  placeBelow,
  SnippetStore,
  snippetFromProject,
  writeInsertedFiles,
} from '../../services/snippets.js';
import { routes } from '../schemas.js';

const NameParams = Type.Object({ name: Type.String({ maxLength: 64 }) });
const InsertParams = Type.Object({ ...ProjectParams.properties, ...NameParams.properties });
const ImportQuery = Type.Object({
  overwrite: Type.Optional(Type.Boolean()),
  name: Type.Optional(SnippetName),
});

const snippetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'snippets', { load: loadProject });
  const { projects: store, workspaces, config } = app.services;
  const snippets = new SnippetStore(path.join(config.dataDir, '.snippets'));

  api.get(
    '/snippets',
    'The snippets in the data folder (an unreadable one is listed with its error)',
    { response: { 200: Type.Array(ListedSnippet) } },
    async () => snippets.list(),
  );

  api.post(
    '/projects/:id/snippets',
    "Save nodes of the project (as saved), the edges between them and their folders' files as a snippet",
    { body: SaveSnippetBody, response: { 201: SavedSnippet } },
    async ({ project, body }, reply) => {
      const ready = workspaces.status(project.id).status === 'ready';
      const { name, description, nodes, overwrite } = body;
      snippets.fileOf(name); // a usable name before any file is read
      const { snippet, warnings } = await snippetFromProject(
        project,
        nodes,
        ready ? store.workspaceOf(project.id) : null,
        { name, ...(description?.trim() ? { description: description.trim() } : {}) },
      );
      await snippets.write(snippet, overwrite ?? false);
      return reply.status(201).send({ snippet: summarizeSnippet(snippet), warnings });
    },
  );

  api.get(
    '/snippets/:name',
    'Export a snippet: the whole file (nodes, edges, files) as JSON, to import elsewhere',
    { params: NameParams, response: { 200: Snippet } },
    async (request, reply) => {
      const snippet = await snippets.read(request.params.name);
      return reply
        .header('content-disposition', `attachment; filename="${snippet.name}.snippet.json"`)
        .send(snippet);
    },
  );

  api.post(
    '/snippets',
    'Import a snippet file (checked: its shape, paths that stay in the node folder, sizes)',
    {
      querystring: ImportQuery,
      body: Type.Unknown(),
      response: { 201: SnippetSummary },
      bodyLimit: MAX_SNIPPET_BYTES,
    },
    async (request, reply) => {
      const raw = request.body as Record<string, unknown> | null;
      const renamed =
        request.query.name && raw && typeof raw === 'object' ? { ...raw, name: request.query.name } : raw;
      const snippet = parseSnippet(renamed);
      await snippets.write(snippet, request.query.overwrite ?? false);
      return reply.status(201).send(summarizeSnippet(snippet));
    },
  );

  api.delete(
    '/snippets/:name',
    'Delete a snippet',
    { params: NameParams, response: { 204: Type.Null() } },
    async (request, reply) => {
      await snippets.remove(request.params.name);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/projects/:id/snippets/:name/insert',
    'Insert a snippet into the project as a new version: labels made unique, edges rewired, files written',
    { params: InsertParams, body: InsertSnippetBody, response: { 200: InsertedSnippet } },
    async ({ project, params: { id, name }, body }) => {
      const snippet = await snippets.read(name);
      const stale = () =>
        conflict(
          'stale_version',
          `This project was saved elsewhere (version ${project.version}; you inserted into version ${body.version}).`,
          'Reload to get the latest version, then insert again.',
          { currentVersion: project.version },
        );
      if (body.version !== project.version) throw stale();
      // Files need the Dagster project; a snippet of nodes only can go into a project still being created.
      const root = snippet.files.length > 0 ? workspaces.requireReady(id) : null;
      const ready = root ?? (workspaces.status(id).status === 'ready' ? store.workspaceOf(id) : null);
      const insertion = insertSnippet(
        snippet,
        {
          nodes: project.graph.nodes,
          groups: project.graph.groups,
          takenFolders: ready ? await defsFolders(ready, project.package_name) : [],
        },
        { at: body.position ?? placeBelow(project.graph.nodes), newId: newNodeId },
      );
      const files = root
        ? await writeInsertedFiles(root, project.package_name, insertion)
        : { written: [], undo: async () => undefined };
      let saved;
      try {
        saved = await store.save(id, {
          version: body.version,
          graph: {
            ...project.graph,
            nodes: [...project.graph.nodes, ...insertion.nodes],
            edges: [...project.graph.edges, ...insertion.edges],
            ...(insertion.groups.length
              ? {
                  groups: [
                    ...(project.graph.groups ?? []),
                    ...insertion.groups.map(({ renamedFrom: _renamed, ...g }) => g),
                  ],
                }
              : {}),
          },
        });
      } catch (error) {
        await files.undo(); // nothing of a refused insertion stays on disk
        throw error;
      }
      if (ready) app.services.sync.scheduleAfterSave(() => readyProject(app.services, id), id);
      const warnings = [
        ...insertion.keyCollisions.map(
          (key) => `The asset key ${key} is declared by another node too: give one of them another key.`,
        ),
        ...insertion.groups.flatMap((g) =>
          g.renamedFrom
            ? [`The group ${g.renamedFrom} is ${g.name} here: the project has a group of that name.`]
            : [],
        ),
      ];
      return {
        id,
        version: saved.version,
        updated_at: saved.updated_at,
        nodes: insertion.nodes.map((n) => n.id),
        files: files.written,
        renamed: insertion.renamed,
        warnings,
      };
    },
  );
};
export default snippetRoutes;
