// Partitions and backfills on the project's local Dagster instance: each asset's partition status, backfills of a
// selection (one partition, a range, the missing ones), their progress and runs, and cancelling one.
import { Backfill, BackfillList, BackfillRequest, PartitionStatusAnswer } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { loadReadyProject, ProjectParams } from '../../../plugins/project-loader.js';
import { assertBackfillRequest, BackfillService } from '../../../services/backfills/service.js';
import { errors } from '../../schemas.js';

const BackfillParams = Type.Object({
  id: ProjectParams.properties.id,
  backfillId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
});

const partitions: FastifyPluginAsyncTypebox = async (app) => {
  const backfills = new BackfillService(app.services);

  app.get(
    '/projects/:id/partitions',
    {
      schema: {
        tags: ['runs'],
        summary:
          "Each partitioned asset's partitions and their status on the local instance (materialized, failed, in progress, missing); does not start the instance",
        params: ProjectParams,
        response: { 200: PartitionStatusAnswer, ...errors },
      },
      preHandler: loadReadyProject,
    },
    (request) => backfills.status(request.project),
  );

  app.post(
    '/projects/:id/partitions/selection',
    {
      schema: {
        tags: ['runs'],
        summary:
          'The partitions of a selection (after a sync, on the started instance), for the Run dialog to offer a backfill',
        params: ProjectParams,
        body: Type.Pick(BackfillRequest, ['assets', 'nodes'], { additionalProperties: false }),
        response: { 200: PartitionStatusAnswer, ...errors },
      },
      preHandler: loadReadyProject,
    },
    (request) => backfills.selectionStatus(request.project, request.root, request.body),
  );

  app.post(
    '/projects/:id/backfills',
    {
      schema: {
        tags: ['runs'],
        summary:
          "Backfill a selection's partitions (one, a range, or the missing ones) on the local instance: launchPartitionBackfill, run by its daemon",
        params: ProjectParams,
        body: BackfillRequest,
        response: { 201: Backfill, ...errors },
      },
      // The request's own problems first (a 400), then the project (404) and its workspace (409).
      preHandler: [async (request) => assertBackfillRequest(request.body), loadReadyProject],
    },
    async (request, reply) =>
      reply.status(201).send(await backfills.launch(request.project, request.root, request.body)),
  );

  app.get(
    '/projects/:id/backfills',
    {
      schema: {
        tags: ['runs'],
        summary:
          "The local instance's latest backfills with their progress and runs (does not start the instance)",
        params: ProjectParams,
        response: { 200: BackfillList, ...errors },
      },
      preHandler: loadReadyProject,
    },
    (request) => backfills.list(request.project),
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
      preHandler: loadReadyProject,
    },
    (request) => backfills.get(request.project, request.params.backfillId),
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
      preHandler: loadReadyProject,
    },
    (request) => backfills.cancel(request.project, request.params.backfillId),
  );
};
export default partitions;
