// A project's deployments (Dagster OSS or Dagster+): list, add, change, remove, give a token (memory only), test.
import {
  ConnectionTest,
  Deployment,
  DeploymentInput,
  DeploymentTokenBody,
  ErrorBody,
} from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { deploymentClient } from '../../../services/deployments/client.js';
import { testConnection } from '../../../services/deployments/connection.js';

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const DeploymentParams = Type.Object({
  id: Type.String({ maxLength: 64 }),
  depId: Type.String({ maxLength: 64 }),
});
const errors = { '4xx': ErrorBody, '5xx': ErrorBody };

const deploymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { projects, deployments } = app.services;

  app.get(
    '/projects/:id/deployments',
    {
      schema: {
        tags: ['deployments'],
        summary: "The project's deployments (never a token: tokenSet says whether one is at hand)",
        params: Params,
        response: { 200: Type.Array(Deployment), ...errors },
      },
    },
    async (request) => {
      await projects.read(request.params.id);
      return deployments.list(request.params.id);
    },
  );

  app.post(
    '/projects/:id/deployments',
    {
      schema: {
        tags: ['deployments'],
        summary: 'Add a deployment (Dagster OSS webserver or Dagster+ organization)',
        params: Params,
        body: DeploymentInput,
        response: { 201: Deployment, ...errors },
      },
    },
    async (request, reply) => {
      await projects.read(request.params.id);
      return reply.status(201).send(await deployments.create(request.params.id, request.body));
    },
  );

  app.put(
    '/projects/:id/deployments/:depId',
    {
      schema: {
        tags: ['deployments'],
        summary: 'Change a deployment; a changed URL or auth drops the token held for it',
        params: DeploymentParams,
        body: DeploymentInput,
        response: { 200: Deployment, ...errors },
      },
    },
    async (request) => {
      await projects.read(request.params.id);
      return deployments.update(request.params.id, request.params.depId, request.body);
    },
  );

  app.delete(
    '/projects/:id/deployments/:depId',
    {
      schema: {
        tags: ['deployments'],
        summary: 'Remove a deployment (and forget its token)',
        params: DeploymentParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await projects.read(request.params.id);
      await deployments.remove(request.params.id, request.params.depId);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/projects/:id/deployments/:depId/token',
    {
      schema: {
        tags: ['deployments'],
        summary: "Keep a token for the deployment's current URL, in memory only (never written or answered)",
        params: DeploymentParams,
        body: DeploymentTokenBody,
        response: { 200: Deployment, ...errors },
      },
    },
    async (request) => {
      await projects.read(request.params.id);
      return deployments.setToken(request.params.id, request.params.depId, request.body.token);
    },
  );

  app.delete(
    '/projects/:id/deployments/:depId/token',
    {
      schema: {
        tags: ['deployments'],
        summary: 'Forget the token held in memory for the deployment',
        params: DeploymentParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await projects.read(request.params.id);
      await deployments.get(request.params.id, request.params.depId);
      deployments.forgetToken(request.params.id, request.params.depId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/projects/:id/deployments/:depId/test',
    {
      schema: {
        tags: ['deployments'],
        summary:
          'Connection test: reachable, Dagster version, code locations, which one serves this project (401 for a refused token)',
        params: DeploymentParams,
        response: { 200: ConnectionTest, ...errors },
      },
    },
    async (request) => {
      const project = await projects.read(request.params.id);
      const client = await deploymentClient(deployments, project.id, request.params.depId);
      return testConnection(client, project.package_name);
    },
  );
};
export default deploymentRoutes;
