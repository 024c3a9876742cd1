import {
  CreateProjectBody,
  ProjectFile,
  ProjectSummary,
  RenameProjectBody,
  SavedProject,
  SaveProjectBody,
  toPackageName,
  WorkspaceStatus,
} from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { loadProject, readyProject } from '../../../plugins/project-loader.js';
import { conflict } from '../../../errors.js';
import historyRoutes from './history.js';
import snippetRoutes from '../snippets.js';
import pipelineTemplateRoutes from '../pipeline-templates.js';
import { setUpTemplate, templateById, templateProject } from '../../../services/pipeline-templates.js';
import { routes } from '../../schemas.js';
import { REUSE_BODY_ELEMENTS } from '../../../plugins/json-body.js';

const projects: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'projects');
  const { projects: store, workspaces } = app.services;
  await app.register(historyRoutes);
  await app.register(snippetRoutes);
  await app.register(pipelineTemplateRoutes);

  /** Starts creating the Dagster project in the background; its progress is GET …/workspace. */
  const startWorkspace = async (
    project: ProjectFile,
    setup?: (dir: string, report: (step: string) => void) => Promise<void>,
  ) => {
    if (!app.services.config.createWorkspaces) return;
    if ((await app.services.toolchain.detectUv()) === null) {
      app.log.warn('workspace not created: the toolchain (uv) is not installed');
      return;
    }
    void workspaces.create(project.id, project.package_name, setup);
  };

  api.get(
    '/projects',
    'List projects (unreadable files are listed with an error)',
    { response: { 200: Type.Array(ProjectSummary) } },
    async () => store.list(),
  );

  api.post(
    '/projects',
    'Create a project and, in the background, its Dagster workspace',
    { body: CreateProjectBody, response: { 201: ProjectFile } },
    async (request, reply) => {
      const { template: templateId, ...fields } = request.body;
      // A template's pipeline is the project's first version; its files and libraries come with the workspace.
      const template = templateId ? await templateById(templateId) : null;
      const project = await store.create({
        ...fields,
        ...(template ? templateProject(template, toPackageName(fields.name)) : {}),
      });
      await startWorkspace(
        project,
        template
          ? (dir, report) => setUpTemplate(template, dir, project.package_name, app.services, report)
          : undefined,
      );
      return reply.status(201).send(project);
    },
  );

  api.get(
    '/projects/:id',
    'Read a project',
    { response: { 200: ProjectFile }, load: loadProject },
    async ({ project }, reply) => {
      // Opening a project: its preview process, released when it was idle, warms again in the background.
      if (workspaces.status(project.id).status === 'ready')
        app.services.inspector.warm(store.workspaceOf(project.id));
      // The bytes the last save wrote, not the project serialised again (they hold what the schema would write: the
      // format's objects are closed); a Buffer is sent as it is (the typed reply only knows objects).
      const json = store.jsonOf(project) as unknown as ProjectFile;
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );

  // Saving and renaming read the project themselves (the version check and the write are one step of the store).
  api.put(
    '/projects/:id',
    'Save a project (stale version → 409); answers the new version',
    // A save repeats most of the last one: its unchanged nodes and edges are not parsed again (plugins/json-body.ts).
    { body: SaveProjectBody, response: { 200: SavedProject }, load: null, config: REUSE_BODY_ELEMENTS },
    async (request) => {
      const saved = await store.save(request.params.id, request.body, true); // the schema checked the body
      if (workspaces.status(saved.id).status === 'ready') {
        app.services.sync.scheduleAfterSave(() => readyProject(app.services, saved.id), saved.id);
        app.services.inspector.warm(store.workspaceOf(saved.id));
      }
      return { id: saved.id, version: saved.version, updated_at: saved.updated_at };
    },
  );

  api.patch(
    '/projects/:id',
    'Rename a project',
    { body: RenameProjectBody, response: { 200: ProjectFile }, load: null },
    async ({ params, body }) => store.rename(params.id, body.name, body.version),
  );

  api.delete(
    '/projects/:id',
    'Delete a project and its workspace',
    { response: { 204: Type.Null() }, load: null },
    async (request, reply) => {
      const { id } = request.params;
      store.fileOf(id); // a project id, or 400 (a corrupt project can still be deleted, so no read)
      if (workspaces.status(id).status === 'creating')
        throw conflict(
          'workspace_creating',
          `The project's Dagster workspace is being created or replaced (${workspaces.status(id).step}); it was not deleted.`,
          'Wait until it is ready (GET /api/projects/:id/workspace), then delete.',
        );
      // Its processes first (a warm inspector, a Dagster instance), then everything it owns on disk.
      await app.services.instances.stop(id);
      app.services.inspector.stop(store.workspaceOf(id));
      await store.delete(id);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/projects/:id/workspace',
    'State of the Dagster workspace',
    { response: { 200: WorkspaceStatus }, load: loadProject },
    async ({ project }) => workspaces.status(project.id),
  );

  api.post(
    '/projects/:id/workspace',
    'Create (or retry creating) the Dagster workspace',
    { response: { 202: WorkspaceStatus }, load: loadProject },
    async ({ project }, reply) => {
      await app.services.toolchain.assertReady();
      void workspaces.create(project.id, project.package_name);
      return reply.status(202).send(workspaces.status(project.id));
    },
  );
};
export default projects;
