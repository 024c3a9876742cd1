// A project's deployments (Dagster OSS or Dagster+): list, add, change, remove, give a token (memory only), test.
import { ConnectionTest, Deployment, DeploymentInput, DeploymentTokenBody } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { loadProject } from '../../../plugins/project-loader.js';
import { deploymentClient } from '../../../services/deployments/client.js';
import { testConnection } from '../../../services/deployments/connection.js';
import { deploymentRoute as one, route } from '../../schemas.js';

const SUMMARY = {
  list: "The project's deployments (never a token: tokenSet says whether one is at hand)",
  create: 'Add a deployment (Dagster OSS webserver or Dagster+ organization)',
  update: 'Change a deployment; a changed URL or auth drops the token held for it',
  remove: 'Remove a deployment (and forget its token)',
  setToken: "Keep a token for the deployment's current URL, in memory only (never written or answered)",
  forgetToken: 'Forget the token held in memory for the deployment',
  test: 'Connection test: reachable, Dagster version, code locations, which one serves this project (401 for a refused token)',
};

const deploymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deployments } = app.services;

  app.get(
    '/projects/:id/deployments',
    route('deployments', SUMMARY.list, { response: { 200: Type.Array(Deployment) } }, loadProject),
    ({ project }) => deployments.list(project.id),
  );

  app.post(
    '/projects/:id/deployments',
    route(
      'deployments',
      SUMMARY.create,
      { body: DeploymentInput, response: { 201: Deployment } },
      loadProject,
    ),
    async ({ project, body }, reply) => reply.status(201).send(await deployments.create(project.id, body)),
  );

  app.put(
    '/projects/:id/deployments/:depId',
    one(SUMMARY.update, { body: DeploymentInput, response: { 200: Deployment } }),
    ({ project, params, body }) => deployments.update(project.id, params.depId, body),
  );

  app.delete(
    '/projects/:id/deployments/:depId',
    one(SUMMARY.remove, { response: { 204: Type.Null() } }),
    async ({ project, params }, reply) => {
      await deployments.remove(project.id, params.depId);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/projects/:id/deployments/:depId/token',
    one(SUMMARY.setToken, { body: DeploymentTokenBody, response: { 200: Deployment } }),
    ({ project, params, body }) => deployments.setToken(project.id, params.depId, body.token),
  );

  app.delete(
    '/projects/:id/deployments/:depId/token',
    one(SUMMARY.forgetToken, { response: { 204: Type.Null() } }),
    async ({ project, params }, reply) => {
      await deployments.get(project.id, params.depId); // 404 for an unknown deployment
      deployments.forgetToken(project.id, params.depId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/projects/:id/deployments/:depId/test',
    one(SUMMARY.test, { response: { 200: ConnectionTest } }),
    async ({ project, params }) =>
      testConnection(await deploymentClient(deployments, project.id, params.depId), project.package_name),
  );
};
export default deploymentRoutes;
