// Loads the project a `/projects/:id/…` route is about before its handler runs, so handlers start from it:
// `request.project` (404 when there is none) and, for routes that touch its files, `request.root` (its ready
// workspace; 409 while it is being created). `ProjectParams` is the one schema of that `:id`.
import type { ProjectFile } from '@designer/shared';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Services } from '../types.js';

/** The `:id` of every project route. */
export const ProjectParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

declare module 'fastify' {
  interface FastifyRequest {
    /** The project of the route's `:id`, on routes with the `loadProject` or `loadReadyProject` preHandler. */
    project: ProjectFile;
    /** Its workspace (the generated Dagster project), on routes with the `loadReadyProject` preHandler. */
    root: string;
  }
}

/** preHandler: `request.project` from the route's `:id`. */
export async function loadProject(request: FastifyRequest): Promise<void> {
  const { id } = request.params as { id: string };
  request.project = await request.server.services.projects.read(id);
}

/** preHandler: `request.project` and `request.root`, its workspace, which must be ready. */
export async function loadReadyProject(request: FastifyRequest): Promise<void> {
  await loadProject(request);
  request.root = request.server.services.workspaces.requireReady(request.project.id);
}

/**
 * A project and its workspace when that is ready (null otherwise), read when needed: what a sync scheduled
 * after a save loads once its delay is over (`sync.scheduleAfterSave(() => readyProject(services, id), id)`).
 */
export async function readyProject(
  { projects, workspaces }: Pick<Services, 'projects' | 'workspaces'>,
  id: string,
): Promise<{ project: ProjectFile; root: string } | null> {
  const project = await projects.read(id);
  return workspaces.status(id).status === 'ready' ? { project, root: workspaces.requireReady(id) } : null;
}

export default fp(
  async (app) => {
    app.decorateRequest('project', null as unknown as ProjectFile);
    app.decorateRequest('root', '');
  },
  { name: 'project-loader' },
);
