// The typed calls of project history (issue 18): list, one version, diff, restore, through the client's one
// request function (errors are its ApiError, with the server's code, message and hint).
import type { HistoryDiff, HistoryPage, HistoryVersion, RestoreResult } from '@designer/shared';
import { request } from './client';

const enc = encodeURIComponent;
const base = (id: string) => `/api/projects/${enc(id)}/history`;

const call = <T>(method: 'GET' | 'POST', url: string, body?: unknown) => request<T>(method, url, body);

export const historyApi = {
  list: (id: string, offset = 0, limit = 50) =>
    call<HistoryPage>('GET', `${base(id)}?offset=${offset}&limit=${limit}`),
  version: (id: string, commit: string) => call<HistoryVersion>('GET', `${base(id)}/${enc(commit)}`),
  diff: (id: string, from: string, to: string) =>
    call<HistoryDiff>('GET', `${base(id)}/diff?from=${enc(from)}&to=${enc(to)}`),
  restore: (id: string, commit: string, version: number) =>
    call<RestoreResult>('POST', `${base(id)}/${enc(commit)}/restore`, { version }),
};
