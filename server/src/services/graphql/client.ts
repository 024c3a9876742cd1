// Asks a Dagster GraphQL API (a local instance's, a deployment's) one document, with failures as AppErrors.
import { AppError } from '../../errors.js';

/** Sends one document to `<url>/graphql`; a refusal or an unreachable server is a 502 with words. */
export async function graphqlAt<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new AppError(
      502,
      'dagster_unreachable',
      `The Dagster instance does not answer: ${(error as Error).message}`,
      'It may have stopped; the next request starts it again.',
    );
  }
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: Array<{ message: string }> };
  if (!response.ok || body.errors?.length || !body.data) {
    throw new AppError(
      502,
      'graphql_error',
      `Dagster's GraphQL API answered with an error: ${body.errors?.map((e) => e.message).join('; ') ?? response.status}`,
    );
  }
  return body.data;
}

/** `graphqlAt` on a local instance. */
export const graphql = <T>(
  instance: { url: string },
  query: string,
  variables: Record<string, unknown> = {},
) => graphqlAt<T>(instance.url, query, variables);

/**
 * A read of the instance, asked once more when it timed out: right after a reload (a dbt project's manifest) the
 * webserver can take longer than a request's 30 s on a busy machine. Never used for a mutation.
 */
export async function graphqlRead<T>(
  instance: { url: string },
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  try {
    return await graphql<T>(instance, query, variables);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'dagster_unreachable') throw error;
    return graphql<T>(instance, query, variables);
  }
}
