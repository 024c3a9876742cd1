// Partitions and backfills on the project's local Dagster instance: each asset's partition status, backfills of a
// selection (one partition, a range, the missing ones), their progress and runs, and cancelling one.
import {
  Backfill,
  BackfillList,
  BackfillRequest,
  backfillRequestProblem,
  ErrorBody,
  PartitionStatusAnswer,
  type ProjectFile,
} from '@designer/shared';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../../errors.js';
import {
  cancelBackfill,
  getBackfill,
  launchBackfill,
  listBackfills,
  partitionStatus,
} from '../../../services/backfills.js';
import { nodeAssetKeys } from '../../../services/run-launch.js';

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const BackfillParams = Type.Object({
  id: Type.String({ maxLength: 64 }),
  backfillId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
});
const errors = { '4xx': ErrorBody, '5xx': ErrorBody };

/** Asset keys of a selection: the keys given, and the nodes' keys (as a run resolves them). */
async function selectionKeys(
  app: FastifyInstance,
  project: ProjectFile,
  root: string,
  body: { assets?: string[]; nodes?: string[] },
): Promise<string[]> {
  const fromNodes = await nodeAssetKeys(app.services.inspector, project, root, body.nodes ?? []);
  return [...new Set([...(body.assets ?? []), ...fromNodes])];
}

const partitions: FastifyPluginAsyncTypebox = async (app) => {
  const { projects, workspaces, instances } = app.services;

  /** The instance when it runs the project's current code; the state otherwise (nothing is started). */
  const running = async (projectId: string) => {
    const project = await projects.read(projectId);
    workspaces.requireReady(project.id);
    const instance = instances.get(project.id);
    const status = instances.state(project.id).status;
    return { instance, state: instance ? ('ready' as const) : status === 'ready' ? 'starting' : status };
  };

  /** Writes the graph and has the instance load it (started when needed), as a run does. */
  const prepared = async (projectId: string) => {
    const project = await projects.read(projectId);
    const root = workspaces.requireReady(project.id);
    await app.services.sync.sync(project, root);
    return { project, root, instance: await instances.ensure(project.id, root) };
  };

  app.get(
    '/projects/:id/partitions',
    {
      schema: {
        tags: ['runs'],
        summary:
          "Each partitioned asset's partitions and their status on the local instance (materialized, failed, in progress, missing); does not start the instance",
        params: Params,
        response: { 200: PartitionStatusAnswer, ...errors },
      },
    },
    async (request) => {
      const { instance, state } = await running(request.params.id);
      if (!instance) return { instance: state, assets: [] };
      return { instance: 'ready' as const, assets: await partitionStatus(instance) };
    },
  );

  app.post(
    '/projects/:id/partitions/selection',
    {
      schema: {
        tags: ['runs'],
        summary:
          'The partitions of a selection (after a sync, on the started instance), for the Run dialog to offer a backfill',
        params: Params,
        body: Type.Pick(BackfillRequest, ['assets', 'nodes'], { additionalProperties: false }),
        response: { 200: PartitionStatusAnswer, ...errors },
      },
    },
    async (request) => {
      const { project, root, instance } = await prepared(request.params.id);
      const keys = await selectionKeys(app, project, root, request.body);
      if (keys.length === 0 && request.body.nodes?.length) return { instance: 'ready' as const, assets: [] };
      return {
        instance: 'ready' as const,
        assets: await partitionStatus(instance, keys.length ? keys : undefined, true),
      };
    },
  );

  app.post(
    '/projects/:id/backfills',
    {
      schema: {
        tags: ['runs'],
        summary:
          "Backfill a selection's partitions (one, a range, or the missing ones) on the local instance: launchPartitionBackfill, run by its daemon",
        params: Params,
        body: BackfillRequest,
        response: { 201: Backfill, ...errors },
      },
    },
    async (request, reply) => {
      const problem = backfillRequestProblem(request.body); // refused before anything is written or started
      if (problem) throw new AppError(400, problem.code, problem.message, problem.hint);
      const { project, root, instance } = await prepared(request.params.id);
      const keys = await selectionKeys(app, project, root, request.body);
      if (keys.length === 0 && !request.body.nodes?.length && !request.body.assets?.length)
        keys.push(...(await partitionStatus(instance)).map((a) => a.key));
      return reply.status(201).send(await launchBackfill(instance, keys, request.body));
    },
  );

  app.get(
    '/projects/:id/backfills',
    {
      schema: {
        tags: ['runs'],
        summary:
          "The local instance's latest backfills with their progress and runs (does not start the instance)",
        params: Params,
        response: { 200: BackfillList, ...errors },
      },
    },
    async (request) => {
      const { instance, state } = await running(request.params.id);
      if (!instance) return { instance: state, backfills: [] };
      return { instance: 'ready' as const, backfills: await listBackfills(instance) };
    },
  );

  app.get(
    '/projects/:id/backfills/:backfillId',
    {
      schema: {
        tags: ['runs'],
        summary: 'One backfill: status, partitions, progress per asset, runs',
        params: BackfillParams,
        response: { 200: Backfill, ...errors },
      },
    },
    async (request) => {
      const { instance } = await running(request.params.id);
      if (!instance)
        throw new AppError(
          409,
          'instance_stopped',
          "The project's Dagster instance is not running.",
          'Run something first.',
        );
      return getBackfill(instance, request.params.backfillId);
    },
  );

  app.post(
    '/projects/:id/backfills/:backfillId/cancel',
    {
      schema: {
        tags: ['runs'],
        summary: 'Cancel a backfill (cancelPartitionBackfill): no new runs; the daemon stops those under way',
        params: BackfillParams,
        response: { 200: Backfill, ...errors },
      },
    },
    async (request) => {
      const { instance } = await running(request.params.id);
      if (!instance)
        throw new AppError(
          409,
          'instance_stopped',
          "The project's Dagster instance is not running.",
          'Nothing runs there.',
        );
      return cancelBackfill(instance, request.params.backfillId);
    },
  );
};
export default partitions;
