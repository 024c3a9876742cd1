// Every call of the client reads the server's error answer the same way (one parser): JSON calls, the ZIP download
// and the ZIP import all surface its code, message and hint, and a body that is not the error shape a fallback.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, request } from './client';

const answer = (status: number, body: string) =>
  vi.stubGlobal('fetch', () =>
    Promise.resolve(new Response(body, { status, headers: { 'content-type': 'application/json' } })),
  );

const ERROR = JSON.stringify({
  error: { code: 'stale_version', message: 'Saved elsewhere.', hint: 'Reload.', details: { v: 2 } },
});

const calls: Array<[string, () => Promise<unknown>]> = [
  ['request', () => request('GET', '/api/projects/p')],
  ['downloadZip', () => api.downloadZip('p', () => undefined)],
  ['importZip', () => api.importZip('p', new Blob(['zip']))],
];

afterEach(() => vi.unstubAllGlobals());

describe('the client reads error answers one way', () => {
  it.each(calls)(
    '%s: the server error becomes an ApiError with its code, message and hint',
    async (_, call) => {
      answer(409, ERROR);
      const error = (await call().catch((e: unknown) => e)) as ApiError;
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        status: 409,
        code: 'stale_version',
        message: 'Saved elsewhere.',
        hint: 'Reload.',
      });
    },
  );

  it.each(calls)('%s: an answer without the error shape gives http_error and a message', async (_, call) => {
    answer(502, '<html>Bad gateway</html>');
    const error = (await call().catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(502);
    expect(error.code).toBe('http_error');
    expect(error.message.length).toBeGreaterThan(0);
  });
});
