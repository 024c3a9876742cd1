// Sync (graph → Dagster files), check (dg check defs) and preview (services/preview.ts), with the preview's
// progress as server-sent events.
import { ErrorBody, PreviewResult, Problem, type PreviewProgress } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const errors = { '4xx': ErrorBody, '5xx': ErrorBody };

export const SyncResponse = Type.Object({
  changed: Type.Array(Type.String()),
  problems: Type.Array(Problem),
  steps: Type.Array(Type.String()),
  durationMs: Type.Number(),
});

export const PreviewResponse = PreviewResult;

const syncRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { projects, workspaces, sync, preview } = app.services;
  const board = preview.progress;

  app.post(
    '/projects/:id/sync',
    {
      schema: {
        tags: ['sync'],
        summary: 'Write the graph into the Dagster project and validate it (schemas, and dg check yaml)',
        params: Params,
        response: { 200: SyncResponse, ...errors },
      },
    },
    async (request) => {
      const project = await projects.read(request.params.id);
      const root = workspaces.requireReady(project.id);
      return sync.sync(project, root, { checkWithDg: true });
    },
  );

  app.get(
    '/projects/:id/sync',
    {
      schema: {
        tags: ['sync'],
        summary: 'The result of the last sync (syncs run after every save)',
        params: Params,
        response: {
          200: Type.Union([
            Type.Intersect([
              SyncResponse,
              Type.Object({ at: Type.String(), error: Type.Optional(Type.String()) }),
            ]),
            Type.Null(),
          ]),
          ...errors,
        },
      },
    },
    async (request) => {
      const project = await projects.read(request.params.id);
      return sync.last.get(project.id) ?? null;
    },
  );

  app.post(
    '/projects/:id/check',
    {
      schema: {
        tags: ['sync'],
        summary: 'Sync, then `dg check defs`: load every definition as Dagster would',
        params: Params,
        response: {
          200: Type.Object({ ok: Type.Boolean(), problems: Type.Array(Problem), durationMs: Type.Number() }),
          ...errors,
        },
      },
    },
    async (request) => {
      const project = await projects.read(request.params.id);
      const root = workspaces.requireReady(project.id);
      await sync.ensureSynced(project, root);
      return sync.checkDefs(project, root);
    },
  );

  app.post(
    '/projects/:id/preview',
    {
      schema: {
        tags: ['sync'],
        summary: 'Sync, then load the whole project once (as dg list defs) and list what it defines',
        params: Params,
        response: { 200: PreviewResponse, ...errors },
      },
    },
    async (request) => {
      const project = await projects.read(request.params.id);
      return preview.preview(project, workspaces.requireReady(project.id));
    },
  );

  app.get(
    '/projects/:id/preview/events',
    {
      schema: {
        tags: ['sync'],
        summary:
          "The preview's steps as server-sent events while it runs (a component's state being refreshed, the load), until it ends",
        params: Params,
      },
    },
    async (request, reply) => {
      const project = await projects.read(request.params.id); // 404 before the stream starts
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
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
