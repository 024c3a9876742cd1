// The environment manager: which env vars the project references and whether each is set. Values go into the
// workspace's .env and never come back in full.
import { EnvVarStatus, referencedEnv, SetEnvBody, type ProjectFile } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ProjectParams } from '../../../plugins/project-loader.js';
import { envStatus } from '../../../services/env-store.js';
import { dbtEnvVars, withDbtEnvVars } from '../../../services/dbt-project.js';
import { routes } from '../../schemas.js';

const NameParams = Type.Object({ ...ProjectParams.properties, name: Type.String({ maxLength: 128 }) });
const EnvList = Type.Array(EnvVarStatus);

const envRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'env');
  const { env, instances } = app.services;

  const statusOf = async (project: ProjectFile, root: string) => {
    // Env vars the dbt nodes' profiles and dbt_project.yml read (`env_var('X')`) are listed with them.
    return envStatus(
      withDbtEnvVars(referencedEnv(project), dbtEnvVars(project, root)),
      await env.values(root),
    );
  };

  api.get(
    '/projects/:id/env',
    'Env vars the project references, with whether each is set (values masked)',
    { response: { 200: EnvList } },
    async ({ project, root }) => statusOf(project, root),
  );

  // EnvStore.set refuses a name that is not an env var name (400 with a hint).
  api.put(
    '/projects/:id/env/:name',
    "Set a value in the workspace's .env (0600, never exported or pushed)",
    { params: NameParams, body: SetEnvBody, response: { 200: EnvList } },
    async ({ project, root, params, body }) => {
      await env.set(root, params.name, body.value);
      instances.envChanged(project.id);
      return statusOf(project, root);
    },
  );

  api.delete(
    '/projects/:id/env/:name',
    "Remove a value from the workspace's .env",
    { params: NameParams, response: { 200: EnvList } },
    async ({ project, root, params }) => {
      await env.set(root, params.name, null);
      instances.envChanged(project.id);
      return statusOf(project, root);
    },
  );
};
export default envRoutes;
