// Runs: launch (async, or waiting for the end), status, history, logs (polling or server-sent events), cancel.
import {
  ENV_VAR_NAME_PATTERN,
  ErrorBody,
  MAX_ENV_VAR_NAME_LENGTH,
  Nullable,
  Run,
  RunEvent,
} from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { TERMINAL } from '../../../services/runs.js';

const errors = { '4xx': ErrorBody, '5xx': ErrorBody };
const RunId = Type.Object({ runId: Type.String({ pattern: '^[0-9a-f-]{8,64}$' }) });
const WAIT_TIMEOUT_MS = 10 * 60_000;
const ProjectParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
/** The asset keys of a selection ("raw/orders"); none means every asset. */
const AssetKeys = Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 5000 });

const runs: FastifyPluginAsyncTypebox = async (app) => {
  const { projects, workspaces, runs: service } = app.services;

  app.post(
    '/projects/:id/runs',
    {
      schema: {
        tags: ['runs'],
        summary:
          "Materialize assets (default: all) on the project's local Dagster instance; `wait` answers with the finished run",
        params: ProjectParams,
        body: Type.Object(
          {
            assets: Type.Optional(AssetKeys),
            runConfig: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
            env: Type.Optional(
              Type.Record(
                Type.String({ pattern: ENV_VAR_NAME_PATTERN.source, maxLength: MAX_ENV_VAR_NAME_LENGTH }),
                Type.String({ maxLength: 32 * 1024 }),
                {
                  maxProperties: 50,
                  description: 'Env vars for this run only (over the project .env); never stored',
                },
              ),
            ),
            wait: Type.Optional(Type.Boolean()),
            timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Run, 202: Type.Object({ runId: Type.String() }), ...errors },
      },
    },
    async (request, reply) => {
      const project = await projects.read(request.params.id);
      const root = workspaces.requireReady(project.id);
      await app.services.sync.sync(project, root);
      const { runId } = await service.launch(project.id, root, {
        assets: request.body.assets,
        runConfig: request.body.runConfig,
        env: request.body.env,
      });
      if (!request.body.wait) return reply.status(202).send({ runId });
      return service.wait(runId, (request.body.timeoutSeconds ?? WAIT_TIMEOUT_MS / 1000) * 1000);
    },
  );

  app.post(
    '/projects/:id/runs/config-schema',
    {
      schema: {
        tags: ['runs'],
        summary:
          "The run configuration a selection takes (Dagster's config schema as JSON Schema, for a form)",
        params: ProjectParams,
        body: Type.Object(
          {
            assets: Type.Optional(AssetKeys),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            schema: Type.Record(Type.String(), Type.Unknown()),
            hasConfig: Type.Boolean(),
            assets: Type.Array(Type.String()),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const project = await projects.read(request.params.id);
      const root = workspaces.requireReady(project.id);
      await app.services.sync.sync(project, root);
      return service.configSchema(project.id, root, request.body.assets);
    },
  );

  app.get(
    '/projects/:id/runs',
    {
      schema: {
        tags: ['runs'],
        summary: "Run history from Dagster's own run storage, newest first",
        params: ProjectParams,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          cursor: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 200: Type.Object({ runs: Type.Array(Run), cursor: Nullable(Type.String()) }), ...errors },
      },
    },
    async (request) => {
      const project = await projects.read(request.params.id);
      return service.history(
        project.id,
        workspaces.requireReady(project.id),
        request.query.limit ?? 25,
        request.query.cursor,
      );
    },
  );

  app.get(
    '/runs/:runId',
    {
      schema: {
        tags: ['runs'],
        summary: 'Status, steps and materializations of a run',
        params: RunId,
        response: { 200: Run, ...errors },
      },
    },
    async (request) => service.get(request.params.runId),
  );

  app.get(
    '/runs/:runId/logs',
    {
      schema: {
        tags: ['runs'],
        summary: 'Log events after a cursor',
        params: RunId,
        querystring: Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 500 })) }),
        response: {
          200: Type.Object({
            events: Type.Array(RunEvent),
            cursor: Nullable(Type.String()),
            hasMore: Type.Boolean(),
          }),
          ...errors,
        },
      },
    },
    async (request) => service.logs(request.params.runId, request.query.cursor),
  );

  app.get(
    '/runs/:runId/events',
    {
      schema: {
        tags: ['runs'],
        summary: 'Log events as server-sent events, until the run ends',
        params: RunId,
        querystring: Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 500 })) }),
      },
    },
    async (request, reply) => {
      const { runId } = request.params;
      await service.get(runId); // 404 before the stream starts
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      let closed = false;
      request.raw.on('close', () => (closed = true));
      let cursor = request.query.cursor;
      try {
        while (!closed) {
          const page = await service.logs(runId, cursor);
          for (const event of page.events) out.write(`data: ${JSON.stringify(event)}\n\n`);
          cursor = page.cursor ?? cursor;
          if (page.hasMore) continue;
          const run = await service.get(runId);
          if (TERMINAL.has(run.status)) {
            out.write(`event: end\ndata: ${JSON.stringify({ status: run.status, cursor })}\n\n`);
            break;
          }
          await new Promise((r) => setTimeout(r, 500));
        }
      } catch (error) {
        out.write(
          `event: error\ndata: ${JSON.stringify({ message: error instanceof Error ? error.message : String(error) })}\n\n`,
        );
      }
      out.end();
    },
  );

  app.post(
    '/runs/:runId/cancel',
    {
      schema: {
        tags: ['runs'],
        summary: 'Cancel a run (terminateRun)',
        params: RunId,
        response: { 200: Type.Object({ runId: Type.String(), status: Type.String() }), ...errors },
      },
    },
    async (request) => service.cancel(request.params.runId),
  );
};
export default runs;
