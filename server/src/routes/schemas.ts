// Route schema pieces more than one route file declares: the error answers every route has, the params of the
// routes under a project's deployment, and `route()`, the options of a route in one call.
import { ErrorBody } from '@designer/shared';
import { Type, type TSchema } from '@sinclair/typebox';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { loadReadyProject, ProjectParams } from '../plugins/project-loader.js';

/** The error answers of every route: `{ error: { code, message, hint? } }`. */
export const errors = { '4xx': ErrorBody, '5xx': ErrorBody };

/** `/projects/:id/deployments/:depId/…` */
export const DeploymentParams = Type.Object({
  ...ProjectParams.properties,
  depId: Type.String({ maxLength: 64 }),
});

/** A run's id as Dagster writes it (a UUID). */
export const RunIdSchema = Type.String({ pattern: '^[0-9a-f-]{8,64}$' });

/** What a route declares besides its OpenAPI tag and summary (the error answers are added). */
interface RouteSchemas {
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  headers?: TSchema;
  produces?: string[];
  response: Record<string | number, TSchema>;
}

/**
 * A project route's options: its OpenAPI tag and summary, its schemas with the error answers every route has
 * (`params`: `ProjectParams` unless given), and the project loaded first (`loadReadyProject` unless told otherwise).
 */
export function route<S extends RouteSchemas>(
  tag: string,
  summary: string,
  schema: S,
  preHandler: preHandlerAsyncHookHandler = loadReadyProject,
) {
  return {
    preHandler,
    schema: {
      tags: [tag],
      summary,
      params: ProjectParams,
      ...schema,
      response: { ...schema.response, ...errors },
    },
  } as {
    preHandler: preHandlerAsyncHookHandler;
    schema: Omit<S, 'params' | 'response'> & {
      tags: string[];
      summary: string;
      params: S['params'] extends TSchema ? S['params'] : typeof ProjectParams;
      response: S['response'] & typeof errors;
    };
  };
}
