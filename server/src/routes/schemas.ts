// How a route is declared: `route()` for a route under a project (the project loaded first), `openRoute()` for
// one that is not (the project list, snippets, templates, components, runs by id); both add the error answers
// every route has. Besides them, the params schemas more than one route file uses.
import { ErrorBody } from '@designer/shared';
import { Type, type TSchema } from '@sinclair/typebox';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { loadProject, loadReadyProject, ProjectParams } from '../plugins/project-loader.js';

/** The error answers of every route: `{ error: { code, message, hint? } }`. */
export const errors = { '4xx': ErrorBody, '5xx': ErrorBody };

/** `/projects/:id/deployments/:depId/…` */
export const DeploymentParams = Type.Object({
  ...ProjectParams.properties,
  depId: Type.String({ maxLength: 64 }),
});

/** A run's id as Dagster writes it (a UUID). */
export const RunIdSchema = Type.String({ pattern: '^[0-9a-f-]{8,64}$' });

/**
 * What a route declares besides its OpenAPI tag and summary. `response`: its answers, to which the error
 * answers are added; a stream of server-sent events declares none (and so no error answers either).
 */
interface RouteSchemas {
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  headers?: TSchema;
  produces?: string[];
  response?: Record<string | number, TSchema>;
}

/** The schema a route's options hold: the given one with its tag, summary and the error answers. */
type Declared<S extends RouteSchemas, P> = Omit<S, 'params' | 'response'> & {
  tags: string[];
  summary: string;
} & (P extends TSchema ? { params: P } : unknown) &
  (S['response'] extends Record<string | number, TSchema>
    ? { response: S['response'] & typeof errors }
    : unknown);

function declared<S extends RouteSchemas>(tag: string, summary: string, schema: S) {
  const { response, ...rest } = schema;
  return { tags: [tag], summary, ...rest, ...(response ? { response: { ...response, ...errors } } : {}) };
}

/**
 * The options of a route that is not under a project: its OpenAPI tag and summary, and its schemas with the
 * error answers every route has.
 */
export function openRoute<S extends RouteSchemas>(tag: string, summary: string, schema: S) {
  return { schema: declared(tag, summary, schema) } as { schema: Declared<S, S['params']> };
}

/**
 * A project route's options: its OpenAPI tag and summary, its schemas with the error answers every route has
 * (`params`: `ProjectParams` unless given), and the project loaded first (`loadReadyProject` unless told
 * otherwise; `null` for a route whose handler reads the project itself, after checks of its own).
 */
export function route<S extends RouteSchemas>(
  tag: string,
  summary: string,
  schema: S,
  preHandler: preHandlerAsyncHookHandler | null = loadReadyProject,
) {
  return {
    ...(preHandler ? { preHandler } : {}),
    schema: declared(tag, summary, { params: ProjectParams, ...schema }),
  } as {
    preHandler?: preHandlerAsyncHookHandler;
    schema: Declared<S, S['params'] extends TSchema ? S['params'] : typeof ProjectParams>;
  };
}

/** A route of one deployment of a project (`:depId`, or the params given): the project is loaded first. */
export const deploymentRoute = <S extends RouteSchemas>(summary: string, schema: S) =>
  route(
    'deployments',
    summary,
    { params: DeploymentParams, ...schema } as ParamsOr<S, typeof DeploymentParams>,
    loadProject,
  );

/** A route's schemas with `params` as given, or `P` when none are. */
type ParamsOr<S extends RouteSchemas, P extends TSchema> = Omit<S, 'params'> & {
  params: S['params'] extends TSchema ? S['params'] : P;
};
