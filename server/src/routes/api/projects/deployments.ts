// A project's deployments (Dagster OSS or Dagster+): list, add, change, remove, give a token (memory only), test.
import { ConnectionTest, Deployment, DeploymentInput, DeploymentTokenBody } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { loadProject, ProjectParams } from '../../../plugins/project-loader.js';
import { deploymentClient } from '../../../services/deployments/client.js';
import { testConnection } from '../../../services/deployments/connection.js';
import { DeploymentParams, routes } from '../../schemas.js';

// Every route loads the project (not its workspace: a deployment needs none); most name one deployment.
const deploymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'deployments', { params: DeploymentParams, load: loadProject });
  const { deployments } = app.services;

  api.get(
    '/projects/:id/deployments',
    "The project's deployments (never a token: tokenSet says whether one is at hand)",
    { params: ProjectParams, response: { 200: Type.Array(Deployment) } },
    ({ project }) => deployments.list(project.id),
  );

  api.post(
    '/projects/:id/deployments',
    'Add a deployment (Dagster OSS webserver or Dagster+ organization)',
    { params: ProjectParams, body: DeploymentInput, response: { 201: Deployment } },
    async ({ project, body }, reply) => reply.status(201).send(await deployments.create(project.id, body)),
  );

  api.put(
    '/projects/:id/deployments/:depId',
    'Change a deployment; a changed URL or auth drops the token held for it',
    { body: DeploymentInput, response: { 200: Deployment } },
    ({ project, params, body }) => deployments.update(project.id, params.depId, body),
  );

  api.delete(
    '/projects/:id/deployments/:depId',
    'Remove a deployment (and forget its token)',
    { response: { 204: Type.Null() } },
    async ({ project, params }, reply) => {
      await deployments.remove(project.id, params.depId);
      return reply.status(204).send(null);
    },
  );

  api.put(
    '/projects/:id/deployments/:depId/token',
    "Keep a token for the deployment's current URL, in memory only (never written or answered)",
    { body: DeploymentTokenBody, response: { 200: Deployment } },
    ({ project, params, body }) => deployments.setToken(project.id, params.depId, body.token),
  );

  api.delete(
    '/projects/:id/deployments/:depId/token',
    'Forget the token held in memory for the deployment',
    { response: { 204: Type.Null() } },
    async ({ project, params }, reply) => {
      await deployments.get(project.id, params.depId); // 404 for an unknown deployment
      deployments.forgetToken(project.id, params.depId);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/projects/:id/deployments/:depId/test',
    'Connection test: reachable, Dagster version, code locations, which one serves this project (401 for a refused token)',
    { response: { 200: ConnectionTest } },
    async ({ project, params }) =>
      testConnection(await deploymentClient(deployments, project.id, params.depId), project.package_name),
  );
};
export default deploymentRoutes;
