// Partitions and backfills on the project's local Dagster instance: each asset's partition status, backfills of a
// selection (one partition, a range, the missing ones), their progress and runs, and cancelling one.
import { Backfill, BackfillList, BackfillRequest, PartitionStatusAnswer } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { Type } from '@sinclair/typebox';
import { loadReadyProject, ProjectParams } from '../../../plugins/project-loader.js';
import { assertBackfillRequest, BackfillService } from '../../../services/backfills/service.js';
import { routes } from '../../schemas.js';

const BackfillParams = Type.Object({
  id: ProjectParams.properties.id,
  backfillId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
});

const Selection = Type.Pick(BackfillRequest, ['assets', 'nodes'], { additionalProperties: false });
/** The request's own problems first (a 400), then the project (404) and its workspace (409). */
const requestThenProject: preHandlerAsyncHookHandler = async (request) => {
  assertBackfillRequest(request.body as BackfillRequest);
  await loadReadyProject(request);
};

const partitions: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'runs');
  const backfills = new BackfillService(app.services);

  api.get(
    '/projects/:id/partitions',
    "Each partitioned asset's partitions and their status on the local instance (materialized, failed, in progress, missing); does not start the instance",
    { response: { 200: PartitionStatusAnswer } },
    ({ project }) => backfills.status(project),
  );

  api.post(
    '/projects/:id/partitions/selection',
    'The partitions of a selection (after a sync, on the started instance), for the Run dialog to offer a backfill',
    { body: Selection, response: { 200: PartitionStatusAnswer } },
    ({ project, root, body }) => backfills.selectionStatus(project, root, body),
  );

  api.post(
    '/projects/:id/backfills',
    "Backfill a selection's partitions (one, a range, or the missing ones) on the local instance: launchPartitionBackfill, run by its daemon",
    { body: BackfillRequest, response: { 201: Backfill }, load: requestThenProject },
    async ({ project, root, body }, reply) =>
      reply.status(201).send(await backfills.launch(project, root, body)),
  );

  api.get(
    '/projects/:id/backfills',
    "The local instance's latest backfills with their progress and runs (does not start the instance)",
    { response: { 200: BackfillList } },
    ({ project }) => backfills.list(project),
  );

  api.get(
    '/projects/:id/backfills/:backfillId',
    'One backfill: status, partitions, progress per asset, runs',
    { params: BackfillParams, response: { 200: Backfill } },
    ({ project, params }) => backfills.get(project, params.backfillId),
  );

  api.post(
    '/projects/:id/backfills/:backfillId/cancel',
    'Cancel a backfill (cancelPartitionBackfill): no new runs; the daemon stops those under way',
    { params: BackfillParams, response: { 200: Backfill } },
    ({ project, params }) => backfills.cancel(project, params.backfillId),
  );
};
export default partitions;
