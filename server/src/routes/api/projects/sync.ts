// Sync (graph → Dagster files), check (dg check defs) and preview (services/preview.ts), with the preview's
// progress as server-sent events.
import { CheckResult, PreviewResult, SyncResult, type PreviewProgress } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { openEventStream } from '../../../lib/event-stream.js';
import { loadProject } from '../../../plugins/project-loader.js';
import { routes } from '../../schemas.js';

/** The last sync's result, when it ran and the error it stopped at. */
const LastSync = Type.Intersect([
  SyncResult,
  Type.Object({ at: Type.String(), error: Type.Optional(Type.String()) }),
]);

const syncRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'sync');
  const { sync, preview } = app.services;
  const board = preview.progress;

  api.post(
    '/projects/:id/sync',
    'Write the graph into the Dagster project and validate it (schemas, and dg check yaml)',
    { response: { 200: SyncResult } },
    async ({ project, root }) => sync.sync(project, root, { checkWithDg: true }),
  );

  api.get(
    '/projects/:id/sync',
    'The result of the last sync (syncs run after every save)',
    { response: { 200: Type.Union([LastSync, Type.Null()]) }, load: loadProject },
    async ({ project }) => sync.last.get(project.id) ?? null,
  );

  api.post(
    '/projects/:id/check',
    'Sync, then `dg check defs`: load every definition as Dagster would',
    { response: { 200: CheckResult } },
    async ({ project, root }) => {
      await sync.ensureSynced(project, root);
      return sync.checkDefs(project, root);
    },
  );

  api.post(
    '/projects/:id/preview',
    'Sync, then load the whole project once (as dg list defs) and list what it defines',
    { response: { 200: PreviewResult } },
    async ({ project, root }) => preview.preview(project, root),
  );

  api.get(
    '/projects/:id/preview/events',
    "The preview's steps as server-sent events while it runs (a component's state being refreshed, the load), until it ends",
    { load: loadProject }, // 404 before the stream starts
    async (request, reply) => {
      const { project } = request;
      const out = openEventStream(reply);
      const send = (p: PreviewProgress) =>
        out.write(`${p.running ? '' : 'event: end\n'}data: ${JSON.stringify(p)}\n\n`);
      const first = board.get(project.id);
      send(first);
      if (!first.running) return void out.end();
      const stop = board.listen(project.id, (p) => {
        send(p);
        if (!p.running) {
          stop();
          out.end();
        }
      });
      request.raw.on('close', stop);
    },
  );
};
export default syncRoutes;
