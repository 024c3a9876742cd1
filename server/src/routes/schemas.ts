// How a route is declared: `routes(app, tag)` gives a file's route files one call per route (its URL, summary,
// schemas and handler), which adds the error answers every route has and, under `/projects/:id`, the project's
// params and loader. Besides it, the params schemas more than one route file uses.
import { ErrorBody } from '@designer/shared';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@sinclair/typebox';
import type {
  ContextConfigDefault,
  FastifyBaseLogger,
  FastifyInstance,
  FastifySchema,
  preHandlerAsyncHookHandler,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
  RouteOptions,
} from 'fastify';
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

/** The app a route file's plugin is given (TypeBox schemas type its requests). */
type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
/** A handler whose request and answer are typed by the route's schema. */
type Handler<Schema extends FastifySchema> = RouteHandlerMethod<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  RouteGenericInterface,
  ContextConfigDefault,
  Schema,
  TypeBoxTypeProvider,
  FastifyBaseLogger
>;

/** A route's schemas, and how it loads its project and how large a body it takes. */
interface RouteSpec extends RouteSchemas {
  /**
   * The preHandler of a route under `/projects/:id`: `loadReadyProject` unless given; `null` for one whose
   * handler reads the project itself, after checks of its own. Routes elsewhere have none.
   */
  load?: preHandlerAsyncHookHandler | null;
  bodyLimit?: number;
  /** Fastify's route `config` (read by plugins, e.g. json-body's REUSE_BODY_ELEMENTS). */
  config?: Record<string, unknown>;
}
/** A route's params: as given, else `ProjectParams` under `/projects/:id`, else none. */
type ParamsOf<U extends string, S extends RouteSchemas> = S['params'] extends TSchema
  ? S['params']
  : U extends `/projects/:id${string}`
    ? typeof ProjectParams
    : undefined;

/** A spec with the file's defaults under it. */
type Merged<D, S> = Omit<D, keyof S> & S;
/** The schema a route's options hold: its own with the tag, summary, params and the error answers. */
type Declared<S extends RouteSchemas, P> = Omit<
  S,
  'params' | 'response' | 'load' | 'bodyLimit' | 'config'
> & {
  tags: string[];
  summary: string;
} & (P extends TSchema ? { params: P } : unknown) &
  (S['response'] extends Record<string | number, TSchema>
    ? { response: S['response'] & typeof errors }
    : unknown);

/**
 * The routes of one file, all under one OpenAPI tag: `api.get(url, summary, spec, handler)` declares a route
 * with its schemas, the error answers every route has, and (under `/projects/:id`) the project loaded first.
 * `defaults`: what every route of the file declares unless its spec says otherwise.
 */
export function routes<const D extends RouteSpec = Record<never, never>>(
  app: App,
  tag: string,
  defaults: D = {} as D,
) {
  const declare =
    (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE') =>
    <const U extends string, S extends RouteSpec>(
      url: U,
      summary: string,
      spec: S,
      handler: Handler<Declared<Merged<D, S>, ParamsOf<U, Merged<D, S>>>>,
    ) => {
      const { load, bodyLimit, config, response, ...schema } = { ...defaults, ...spec } as RouteSpec;
      const project = url.startsWith('/projects/:id');
      const preHandler = project ? (load === undefined ? loadReadyProject : load) : null;
      (app as FastifyInstance).route({
        method,
        url,
        ...(preHandler ? { preHandler } : {}),
        ...(bodyLimit ? { bodyLimit } : {}),
        ...(config ? { config } : {}),
        schema: {
          tags: [tag],
          summary,
          ...(project ? { params: ProjectParams } : {}),
          ...schema,
          ...(response ? { response: { ...response, ...errors } } : {}),
        },
        handler,
      } as unknown as RouteOptions);
    };
  return {
    get: declare('GET'),
    post: declare('POST'),
    put: declare('PUT'),
    patch: declare('PATCH'),
    delete: declare('DELETE'),
  };
}
