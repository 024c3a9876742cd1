// What the designer does on a project's deployment: observe its state of the project's assets, list its runs of
// the project's code location with their logs, launch and cancel there, reload the location after a push.
// Every answer is scrubbed of the deployment's token (it is never in one).
import {
  DeploymentAssets,
  DeploymentLaunchBody,
  DeploymentLaunched,
  DeploymentReload,
  DeploymentRunsPage,
  Run,
  RunCancelled,
  RunLogsPage,
  RunLogsQuery,
  RunsPageQuery,
  type ProjectFile,
} from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { redactValue } from '../../../errors.js';
import { loadProject } from '../../../plugins/project-loader.js';
import { deploymentClient, type DeploymentClient } from '../../../services/deployments/client.js';
import { compareCode, lastPush } from '../../../services/deployments/code-version.js';
import { reloadDeployment } from '../../../services/deployments/deploy.js';
import {
  deploymentRun,
  deploymentRunLogs,
  deploymentRuns,
  locationAssetKeys,
  observeAssets,
  servingLocationOf,
  type ServingLocation,
} from '../../../services/deployments/observe.js';
import { cancelOnDeployment, launchOnDeployment } from '../../../services/deployments/run-there.js';
import { DeploymentParams, routes, RunIdSchema } from '../../schemas.js';

const RunParams = Type.Object({ ...DeploymentParams.properties, runId: RunIdSchema });
const AssetsQuery = Type.Object({
  keys: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 500 }), {
      maxItems: 2000,
      description: "Asset keys (a/b/c); none: every asset of the project's code location",
    }),
  ),
});
/** Per request to the deployment: a launch may wait for the run coordinator; a reload for the code to load. */
const LAUNCH_TIMEOUT_MS = 60_000;
const RELOAD_TIMEOUT_MS = 180_000;
const LOCATION_KEEP_MS = 5_000;

const deploymentOpsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'deployments', { params: DeploymentParams, load: loadProject });
  const { deployments, config } = app.services;

  /** The project, a client for its deployment, and a scrub that removes the deployment's token from a value. */
  const open = async (
    { project, params }: { project: ProjectFile; params: { depId: string } },
    timeoutMs?: number,
  ) => {
    const client = await deploymentClient(deployments, project.id, params.depId, timeoutMs);
    const token = deployments.tokenOf(project.id, client.deployment);
    return { project, client, scrub: <T>(value: T): T => redactValue(value, [token]) };
  };
  /**
   * The serving location for reading a run (status and logs are polled every second while a run view is open):
   * kept a few seconds per deployment and URL. Observing, launching and reloading always ask afresh.
   */
  const recent = new Map<string, { at: number; location: ServingLocation }>();
  const locationForRuns = async (client: DeploymentClient, projectId: string, packageName: string) => {
    const key = `${projectId}/${client.deployment.id}/${client.deployment.url}`;
    const kept = recent.get(key);
    if (kept && Date.now() - kept.at < LOCATION_KEEP_MS) return kept.location;
    const location = await servingLocationOf(client, packageName);
    recent.set(key, { at: Date.now(), location });
    return location;
  };
  /** As `open`, with the code location serving the project, asked afresh. */
  const openServing = async (request: Parameters<typeof open>[0], timeoutMs?: number) => {
    const opened = await open(request, timeoutMs);
    return { ...opened, location: await servingLocationOf(opened.client, opened.project.package_name) };
  };
  /** As `open`, with one of the deployment's runs of this project (a run of another location: 404). */
  const openRun = async (request: { project: ProjectFile; params: { depId: string; runId: string } }) => {
    const { project, client, scrub } = await open(request);
    const location = await locationForRuns(client, project.id, project.package_name);
    const run = await deploymentRun(client, project.id, location.entry.name, request.params.runId);
    return { project, client, scrub, location, run };
  };

  api.get(
    '/projects/:id/deployments/:depId/assets',
    "The deployment's state of the project's assets: last materialization (time, run, status), partitions, checks, stale/missing; and whether its code is the designer's last push",
    { querystring: AssetsQuery, response: { 200: DeploymentAssets } },
    async (request) => {
      const { project, client, scrub, location } = await openServing(request);
      const keys =
        request.query.keys && request.query.keys.length > 0
          ? [...new Set(request.query.keys)]
          : await locationAssetKeys(client, location.entry.name);
      const [assets, pushed] = await Promise.all([
        observeAssets(client, location.entry.name, keys),
        lastPush(config.dataDir, project.id),
      ]);
      return scrub({
        location: location.state,
        assets,
        code: compareCode(pushed, location.entry.displayMetadata),
        observedAt: Date.now(),
      });
    },
  );

  api.get(
    '/projects/:id/deployments/:depId/runs',
    "The deployment's runs of the project's code location, newest first",
    { querystring: RunsPageQuery, response: { 200: DeploymentRunsPage } },
    async (request) => {
      const { project, client, scrub, location } = await openServing(request);
      const page = await deploymentRuns(
        client,
        project.id,
        location,
        request.query.limit ?? 25,
        request.query.cursor,
      );
      return scrub({ ...page, location: location.entry.name });
    },
  );

  api.get(
    '/projects/:id/deployments/:depId/runs/:runId',
    "Status, steps and materializations of one of the deployment's runs of this project",
    { params: RunParams, response: { 200: Run } },
    async (request) => {
      const { run, scrub } = await openRun(request);
      return scrub(run);
    },
  );

  api.get(
    '/projects/:id/deployments/:depId/runs/:runId/logs',
    "Log events of one of the deployment's runs after a cursor",
    { params: RunParams, querystring: RunLogsQuery, response: { 200: RunLogsPage } },
    async (request) => {
      const { client, scrub } = await openRun(request); // this project's run
      return scrub(await deploymentRunLogs(client, request.params.runId, request.query.cursor));
    },
  );

  api.post(
    '/projects/:id/deployments/:depId/runs',
    "Launch the selected assets (default: all of the location's) on the deployment; 409 when its code is behind the designer's last push",
    { body: DeploymentLaunchBody, response: { 201: DeploymentLaunched } },
    async (request, reply) => {
      const { project, client, scrub, location } = await openServing(request, LAUNCH_TIMEOUT_MS);
      const code = compareCode(await lastPush(config.dataDir, project.id), location.entry.displayMetadata);
      const { runId } = await launchOnDeployment(client, location, code, request.body);
      const run = await deploymentRun(client, project.id, location.entry.name, runId);
      return reply.status(201).send(scrub({ run, code }));
    },
  );

  api.post(
    '/projects/:id/deployments/:depId/runs/:runId/cancel',
    "Cancel one of the deployment's runs of this project (terminateRun)",
    { params: RunParams, response: { 200: RunCancelled } },
    async (request) => {
      const { project, client, scrub, location } = await openRun(request);
      await cancelOnDeployment(client, request.params.runId);
      const run = await deploymentRun(client, project.id, location.entry.name, request.params.runId);
      return scrub({ runId: run.runId, status: run.status });
    },
  );

  api.post(
    '/projects/:id/deployments/:depId/reload',
    "Reload the deployment's code location serving the project (after a push), wait for it, and put its load error on the node that caused it",
    { response: { 200: DeploymentReload } },
    async (request) => {
      // A code server restarts its code process on a reload and answers the mutation after that (minutes).
      const { project, client, scrub } = await open(request, RELOAD_TIMEOUT_MS);
      const { reload, location } = await reloadDeployment(client, project);
      const code = compareCode(await lastPush(config.dataDir, project.id), location.entry.displayMetadata);
      return scrub({ ...reload, code });
    },
  );
};
export default deploymentOpsRoutes;
