// The one GraphQL client for a team's deployment (Dagster OSS webserver or Dagster+): headers per auth kind,
// a timeout, the caller's AbortSignal, no redirects followed (a token never travels to another host), and every
// failure told as an AppError in the user's terms, with the token removed from every word of it.
import { deploymentUrlProblem, DEPLOYMENT_ENV_TOKEN } from '@designer/shared';
import { AppError, badRequest, redact } from '../../errors.js';
import type { DeploymentStore, StoredDeployment } from './store.js';

export const DEFAULT_TIMEOUT_MS = 15_000;
const MAX_ANSWER = 64 * 1024 * 1024;

export interface DeploymentClient {
  readonly deployment: StoredDeployment;
  /** Sends one GraphQL document; answers its `data`, or throws an AppError (4xx/502/504). */
  query<T>(document: string, variables?: Record<string, unknown>, signal?: AbortSignal): Promise<T>;
}

interface GraphQLAnswer {
  data?: unknown;
  errors?: Array<{ message?: unknown }>;
}

/** The headers that carry the token, as the deployment's auth kind wants them. */
export function authHeaders(deployment: StoredDeployment, token: string | undefined): Record<string, string> {
  if (deployment.auth === 'none') return {};
  if (!token)
    throw badRequest(
      'deployment_token_missing',
      `"${deployment.name}" needs a token, and none is set.`,
      deployment.tokenFrom === 'env'
        ? `Set ${DEPLOYMENT_ENV_TOKEN} in the environment of the designer's server and restart it.`
        : 'Enter the token (PUT /api/projects/:id/deployments/:depId/token); it is kept in memory only.',
    );
  if (deployment.auth === 'bearer') return { authorization: `Bearer ${token}` };
  if (deployment.auth === 'header') return { [deployment.headerName!]: token };
  // What dg's own GraphQL client (dagster_rest_resources.gql_client) sends to Dagster+.
  return {
    'Dagster-Cloud-Api-Token': token,
    'Dagster-Cloud-Organization': deployment.organization ?? '',
    'Dagster-Cloud-Deployment': deployment.deployment ?? '',
  };
}

const where = (deployment: StoredDeployment) => `"${deployment.name}" (${deployment.url})`;

function networkError(deployment: StoredDeployment, error: unknown, token: string | undefined): AppError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  const reason =
    code === 'ECONNREFUSED'
      ? 'the connection was refused (nothing listens there)'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'the host name does not resolve'
        : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
          ? 'the connection was closed'
          : cause?.message === 'bad port'
            ? 'its port is one that fetch refuses to use for HTTP (a "bad port" such as 9 or 6000)'
            : /CERT|SSL|TLS/.test(code)
              ? `its TLS certificate was refused (${code})`
              : (cause?.message ?? (error as Error).message ?? 'unknown network error');
  return new AppError(
    502,
    'deployment_unreachable',
    redact(`Could not reach ${where(deployment)}: ${reason}.`, [token]),
    'Check the URL (the webserver base URL, e.g. http://host:3000) and that the deployment runs and is reachable from the designer’s machine.',
  );
}

function statusError(
  deployment: StoredDeployment,
  status: number,
  contentType: string,
  location: string | null,
): AppError {
  if (status === 401)
    return new AppError(
      401,
      'deployment_auth_failed',
      `${where(deployment)} refused the request (HTTP 401): the token is missing or wrong.`,
      deployment.auth === 'none'
        ? 'The deployment asks for credentials: set its auth (bearer, header or plus) and enter a token.'
        : 'Enter the token again (it may have expired or been revoked).',
    );
  if (status === 403)
    return new AppError(
      403,
      'deployment_forbidden',
      `${where(deployment)} refused the request (HTTP 403): the token has no access to it.`,
      'Use a token with access to this deployment (Dagster+: a user token of the organization).',
    );
  if (status >= 300 && status < 400)
    return new AppError(
      502,
      'deployment_redirected',
      `${where(deployment)} redirects to ${location ?? 'another address'}; redirects are not followed, so no token travels elsewhere.`,
      'Set the deployment URL to the address it redirects to.',
    );
  return new AppError(
    502,
    'deployment_not_graphql',
    `${where(deployment)} answered HTTP ${status}${contentType ? ` (${contentType.split(';')[0]})` : ''} at /graphql, not a GraphQL answer.`,
    status === 404
      ? 'Is this the Dagster webserver’s base URL? GraphQL must answer at <url>/graphql (with a path prefix, include it).'
      : 'Check that the URL is the Dagster webserver (or Dagster+ organization) and that it is healthy.',
  );
}

export function createDeploymentClient(
  deployment: StoredDeployment,
  token: string | undefined,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): DeploymentClient {
  const urlProblem = deploymentUrlProblem(deployment.url);
  if (urlProblem) throw badRequest('invalid_deployment_url', `The deployment URL ${urlProblem}.`);
  const endpoint = `${deployment.url.replace(/\/+$/, '')}/graphql`;
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...authHeaders(deployment, token),
  };
  const secrets = [token];

  return {
    deployment,
    async query<T>(document: string, variables: Record<string, unknown> = {}, signal?: AbortSignal) {
      const timeout = AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers,
          body: JSON.stringify({ query: document, variables }),
          redirect: 'manual',
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (error) {
        if (signal?.aborted)
          throw new AppError(
            408,
            'deployment_request_cancelled',
            'The request to the deployment was cancelled.',
          );
        if (timeout.aborted)
          throw new AppError(
            504,
            'deployment_timeout',
            `${where(deployment)} did not answer within ${Math.round(timeoutMs / 1000)} s.`,
            'Check that the deployment is healthy, then try again.',
          );
        throw networkError(deployment, error, token);
      }
      const contentType = response.headers.get('content-type') ?? '';
      const length = Number(response.headers.get('content-length') ?? 0);
      if (!response.ok || !contentType.includes('json') || length > MAX_ANSWER) {
        await response.body?.cancel().catch(() => undefined);
        if (response.ok && length > MAX_ANSWER)
          throw new AppError(
            502,
            'deployment_answer_too_large',
            `${where(deployment)} answered more than 64 MB.`,
          );
        // GraphQL servers answer 400 with a JSON body for a bad query: that is read below, not a status error.
        if (!(response.status === 400 && contentType.includes('json')))
          throw statusError(deployment, response.status, contentType, response.headers.get('location'));
      }
      let answer: GraphQLAnswer;
      try {
        answer = (await response.json()) as GraphQLAnswer;
      } catch {
        throw statusError(deployment, response.status, 'invalid JSON', null);
      }
      if (answer.errors?.length) {
        const first = redact(String(answer.errors[0]?.message ?? 'unknown error'), secrets).slice(0, 2000);
        throw new AppError(
          502,
          'deployment_graphql_error',
          `${where(deployment)} answered with a GraphQL error: ${first}`,
          'The deployment may run another Dagster version than the designer expects (1.13); check its version.',
        );
      }
      if (answer.data === undefined || answer.data === null)
        throw statusError(deployment, response.status, contentType, null);
      return answer.data as T;
    },
  };
}

/** The client for a project's deployment, with the token at hand now (memory or environment). */
export async function deploymentClient(
  store: DeploymentStore,
  projectId: string,
  deploymentId: string,
  timeoutMs?: number,
): Promise<DeploymentClient> {
  const deployment = await store.get(projectId, deploymentId);
  return createDeploymentClient(deployment, store.tokenOf(projectId, deployment), timeoutMs);
}
