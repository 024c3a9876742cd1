// Sync (graph → Dagster files), check (dg check defs) and preview (services/preview.ts), with the preview's
// progress as server-sent events.
import { CheckResult, PreviewResult, SyncResult, type PreviewProgress } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { openEventStream } from '../../../lib/event-stream.js';
import { loadProject } from '../../../plugins/project-loader.js';
import { route } from '../../schemas.js';

/** The last sync's result, when it ran and the error it stopped at. */
const LastSync = Type.Intersect([
  SyncResult,
  Type.Object({ at: Type.String(), error: Type.Optional(Type.String()) }),
]);
const SUMMARY = {
  sync: 'Write the graph into the Dagster project and validate it (schemas, and dg check yaml)',
  last: 'The result of the last sync (syncs run after every save)',
  check: 'Sync, then `dg check defs`: load every definition as Dagster would',
  preview: 'Sync, then load the whole project once (as dg list defs) and list what it defines',
  events:
    "The preview's steps as server-sent events while it runs (a component's state being refreshed, the load), until it ends",
};

const syncRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { sync, preview } = app.services;
  const board = preview.progress;

  app.post(
    '/projects/:id/sync',
    route('sync', SUMMARY.sync, { response: { 200: SyncResult } }),
    async ({ project, root }) => sync.sync(project, root, { checkWithDg: true }),
  );

  app.get(
    '/projects/:id/sync',
    route('sync', SUMMARY.last, { response: { 200: Type.Union([LastSync, Type.Null()]) } }, loadProject),
    async ({ project }) => sync.last.get(project.id) ?? null,
  );

  app.post(
    '/projects/:id/check',
    route('sync', SUMMARY.check, { response: { 200: CheckResult } }),
    async ({ project, root }) => {
      await sync.ensureSynced(project, root);
      return sync.checkDefs(project, root);
    },
  );

  app.post(
    '/projects/:id/preview',
    route('sync', SUMMARY.preview, { response: { 200: PreviewResult } }),
    async ({ project, root }) => preview.preview(project, root),
  );

  app.get(
    '/projects/:id/preview/events',
    route('sync', SUMMARY.events, {}, loadProject), // 404 before the stream starts
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
