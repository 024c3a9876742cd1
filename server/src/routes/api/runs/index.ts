// Runs: launch (async, or waiting for the end), status, history, logs (polling or server-sent events), cancel.
import {
  ENV_VAR_NAME_PATTERN,
  InstanceState,
  LocalRunsPage,
  MAX_ENV_VAR_NAME_LENGTH,
  Run,
  RunCancelled,
  RunConfigSchema,
  RunLaunched,
  RunLogsPage,
  RunLogsQuery,
  RunsPageQuery,
} from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { openEventStream } from '../../../lib/event-stream.js';
import { loadProject } from '../../../plugins/project-loader.js';
import { nodeAssetKeys } from '../../../services/run-launch.js';
import { TERMINAL } from '../../../services/runs.js';
import { enableAutomationWhenUsed, usesAutomation } from '../../../services/schedules.js';
import { routes, RunIdSchema } from '../../schemas.js';

/** How long a launch request waits for Dagster (or a refusal) before answering LAUNCHING (202). */
const ANSWER_WITHIN_MS = 500;

const RunId = Type.Object({ runId: RunIdSchema });
const WAIT_TIMEOUT_MS = 10 * 60_000;
/** The asset keys of a selection ("raw/orders"); none means every asset. */
const AssetKeys = Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 5000 });

const LaunchBody = Type.Object(
  {
    assets: Type.Optional(AssetKeys),
    nodes: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
        maxItems: 5000,
        description: 'Node ids whose assets to run, resolved after the sync (their current keys)',
      }),
    ),
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
);
/** A selection whose run configuration to describe. */
const SelectionBody = Type.Object(
  {
    assets: Type.Optional(AssetKeys),
    nodes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 5000 })),
  },
  { additionalProperties: false },
);

const runs: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'runs');
  const { runs: service } = app.services;

  api.post(
    '/projects/:id/runs',
    "Materialize assets (default: all) on the project's local Dagster instance; `wait` answers with the finished run",
    { body: LaunchBody, response: { 200: Run, 202: RunLaunched } },
    async (request, reply) => {
      const { project, root } = request;
      // Answered at once: the sync, the instance (started if needed), a reload only when the sync changed
      // files, and the launch follow in the background, each a step the run shows while it is LAUNCHING.
      const launch = service.begin(
        project,
        root,
        {
          assets: request.body.assets,
          nodes: request.body.nodes,
          runConfig: request.body.runConfig,
          env: request.body.env,
        },
        () => app.services.sync.ensureSynced(project, root),
        (p, r, ids) => nodeAssetKeys(app.services.inspector, p, r, ids),
      );
      if (request.body.wait) {
        const runId = await launch.done;
        return service.wait(runId, (request.body.timeoutSeconds ?? WAIT_TIMEOUT_MS / 1000) * 1000);
      }
      // A run that cannot start is refused with its reason when that is known quickly (a warm instance);
      // otherwise the reason is the LAUNCHING run's error.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([launch.done, new Promise((r) => (timer = setTimeout(r, ANSWER_WITHIN_MS)))])
        .catch((error: unknown) => {
          service.forget(launch.id); // answered here: it never was a run, so it stays out of the history
          throw error;
        })
        .finally(() => clearTimeout(timer));
      const run = await service.get(launch.id);
      return reply.status(202).send({
        runId: launch.id,
        launchId: launch.id,
        status: run.status,
        launch: run.launch!,
      });
    },
  );

  api.get(
    '/projects/:id/instance',
    "The project's local Dagster instance: stopped, starting (with its steps), ready or failed",
    { response: { 200: InstanceState }, load: loadProject },
    async ({ project }) => app.services.instances.state(project.id),
  );

  api.post(
    '/projects/:id/instance',
    'Start the local Dagster instance ahead of a run (answers at once; poll GET for its steps)',
    { response: { 202: InstanceState } },
    async ({ project, root }, reply) => {
      const state = app.services.instances.warm(project.id, root);
      // Dagster adds its automation sensor stopped: once the instance is up, on (once) when a node uses automation.
      if (usesAutomation(project))
        void app.services.instances
          .ensure(project.id, root)
          .then((instance) => enableAutomationWhenUsed(instance, project))
          .catch(() => undefined); // the instance's own failure is in its state; the sensor can be set by hand
      return reply.status(202).send(state);
    },
  );

  api.post(
    '/projects/:id/runs/config-schema',
    "The run configuration a selection takes (Dagster's config schema as JSON Schema, for a form)",
    { body: SelectionBody, response: { 200: RunConfigSchema } },
    async ({ project, root, body }) => {
      await app.services.sync.ensureSynced(project, root);
      const fromNodes = body.nodes?.length
        ? await nodeAssetKeys(app.services.inspector, project, root, body.nodes)
        : [];
      const assets = [...new Set([...(body.assets ?? []), ...fromNodes])];
      return service.configSchema(project.id, root, assets);
    },
  );

  api.get(
    '/projects/:id/runs',
    "Run history from Dagster's own run storage, newest first",
    { querystring: RunsPageQuery, response: { 200: LocalRunsPage } },
    async ({ project, root, query }) => service.history(project.id, root, query.limit ?? 25, query.cursor),
  );

  api.get(
    '/runs/:runId',
    'Status, steps and materializations of a run',
    { params: RunId, response: { 200: Run } },
    async (request) => service.get(request.params.runId),
  );

  api.get(
    '/runs/:runId/logs',
    'Log events after a cursor',
    { params: RunId, querystring: RunLogsQuery, response: { 200: RunLogsPage } },
    async (request) => service.logs(request.params.runId, request.query.cursor),
  );

  api.get(
    '/runs/:runId/events',
    'Log events as server-sent events, until the run ends',
    { params: RunId, querystring: RunLogsQuery },
    async (request, reply) => {
      const { runId } = request.params;
      await service.get(runId); // 404 before the stream starts
      const out = openEventStream(reply);
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

  api.post(
    '/runs/:runId/cancel',
    'Cancel a run (terminateRun)',
    { params: RunId, response: { 200: RunCancelled } },
    async (request) => service.cancel(request.params.runId),
  );
};
export default runs;
