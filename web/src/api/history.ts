// The typed calls of project history (issue 18): list, one version, diff, restore. Errors are the client's
// ApiError, with the server's code, message and hint.
import type { HistoryDiff, HistoryPage, HistoryVersion, RestoreResult } from '@designer/shared';
import { ApiError } from './client';

const enc = encodeURIComponent;
const base = (id: string) => `/api/projects/${enc(id)}/history`;

async function call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      // x-designer-request: what the server asks of browsers (see README, Security model), as client.ts sends.
      headers: {
        'x-designer-request': '1',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(
      0,
      'network',
      'The designer server cannot be reached.',
      'Check that `npm start` is still running.',
    );
  }
  const parsed = (await response.json().catch(() => undefined)) as
    (T & { error?: { code: string; message: string; hint?: string; details?: unknown } }) | undefined;
  if (!response.ok) {
    const e = parsed?.error;
    throw new ApiError(
      response.status,
      e?.code ?? 'http_error',
      e?.message ?? `${method} ${url} failed with ${response.status}.`,
      e?.hint,
      e?.details,
    );
  }
  return parsed as T;
}

export const historyApi = {
  list: (id: string, offset = 0, limit = 50) =>
    call<HistoryPage>('GET', `${base(id)}?offset=${offset}&limit=${limit}`),
  version: (id: string, commit: string) => call<HistoryVersion>('GET', `${base(id)}/${enc(commit)}`),
  diff: (id: string, from: string, to: string) =>
    call<HistoryDiff>('GET', `${base(id)}/diff?from=${enc(from)}&to=${enc(to)}`),
  restore: (id: string, commit: string, version: number) =>
    call<RestoreResult>('POST', `${base(id)}/${enc(commit)}/restore`, { version }),
};
