// A project's deployments (Dagster OSS or Dagster+): list, add, change, remove, give a token (memory only), test.
import { ConnectionTest, Deployment, DeploymentInput, DeploymentTokenBody } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { loadProject, ProjectParams } from '../../../plugins/project-loader.js';
import { deploymentClient } from '../../../services/deployments/client.js';
import { testConnection } from '../../../services/deployments/connection.js';
import { DeploymentParams, errors } from '../../schemas.js';

const deploymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deployments } = app.services;

  app.get(
    '/projects/:id/deployments',
    {
      preHandler: loadProject,
      schema: {
        tags: ['deployments'],
        summary: "The project's deployments (never a token: tokenSet says whether one is at hand)",
        params: ProjectParams,
        response: { 200: Type.Array(Deployment), ...errors },
      },
    },
    async (request) => {
      return deployments.list(request.params.id);
    },
  );

  app.post(
    '/projects/:id/deployments',
    {
      preHandler: loadProject,
      schema: {
        tags: ['deployments'],
        summary: 'Add a deployment (Dagster OSS webserver or Dagster+ organization)',
        params: ProjectParams,
        body: DeploymentInput,
        response: { 201: Deployment, ...errors },
      },
    },
    async (request, reply) => {
      return reply.status(201).send(await deployments.create(request.params.id, request.body));
    },
  );

  app.put(
    '/projects/:id/deployments/:depId',
    {
      preHandler: loadProject,
      schema: {
        tags: ['deployments'],
        summary: 'Change a deployment; a changed URL or auth drops the token held for it',
        params: DeploymentParams,
        body: DeploymentInput,
        response: { 200: Deployment, ...errors },
      },
    },
    async (request) => {
      return deployments.update(request.params.id, request.params.depId, request.body);
    },
  );

  app.delete(
    '/projects/:id/deployments/:depId',
    {
      preHandler: loadProject,
      schema: {
        tags: ['deployments'],
        summary: 'Remove a deployment (and forget its token)',
        params: DeploymentParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deployments.remove(request.params.id, request.params.depId);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/projects/:id/deployments/:depId/token',
    {
      preHandler: loadProject,
      schema: {
        tags: ['deployments'],
        summary: "Keep a token for the deployment's current URL, in memory only (never written or answered)",
        params: DeploymentParams,
        body: DeploymentTokenBody,
        response: { 200: Deployment, ...errors },
      },
    },
    async (request) => {
      return deployments.setToken(request.params.id, request.params.depId, request.body.token);
    },
  );

  app.delete(
    '/projects/:id/deployments/:depId/token',
    {
      preHandler: loadProject,
      schema: {
        tags: ['deployments'],
        summary: 'Forget the token held in memory for the deployment',
        params: DeploymentParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deployments.get(request.params.id, request.params.depId);
      deployments.forgetToken(request.params.id, request.params.depId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/projects/:id/deployments/:depId/test',
    {
      preHandler: loadProject,
      schema: {
        tags: ['deployments'],
        summary:
          'Connection test: reachable, Dagster version, code locations, which one serves this project (401 for a refused token)',
        params: DeploymentParams,
        response: { 200: ConnectionTest, ...errors },
      },
    },
    async (request) => {
      const client = await deploymentClient(deployments, request.project.id, request.params.depId);
      return testConnection(client, request.project.package_name);
    },
  );
};
export default deploymentRoutes;
