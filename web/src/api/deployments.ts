// The typed calls of a project's deployments (issue 16): the connection (list, add, change, remove, token,
// test) and what the designer does there (state of the assets, runs and logs, launch, cancel, reload), through
// the client's one request function. A token goes to the server once and never comes back.
import type {
  ConnectionTest,
  Deployment,
  DeploymentAssets,
  DeploymentInput,
  DeploymentLaunchBody,
  DeploymentLaunched,
  DeploymentReload,
  DeploymentRunsPage,
  Run,
  RunCancelled,
  RunLogsPage,
} from '@designer/shared';
import { request } from './client';

const enc = encodeURIComponent;
const base = (id: string) => `/api/projects/${enc(id)}/deployments`;
const one = (id: string, depId: string) => `${base(id)}/${enc(depId)}`;

export const deploymentsApi = {
  list: (id: string) => request<Deployment[]>('GET', base(id)),
  create: (id: string, input: DeploymentInput) => request<Deployment>('POST', base(id), input),
  update: (id: string, depId: string, input: DeploymentInput) =>
    request<Deployment>('PUT', one(id, depId), input),
  remove: (id: string, depId: string) => request<void>('DELETE', one(id, depId)),
  setToken: (id: string, depId: string, token: string) =>
    request<Deployment>('PUT', `${one(id, depId)}/token`, { token }),
  forgetToken: (id: string, depId: string) => request<void>('DELETE', `${one(id, depId)}/token`),
  test: (id: string, depId: string) => request<ConnectionTest>('POST', `${one(id, depId)}/test`),

  /** The deployment's state of these asset keys (none: every asset of the project's code location). */
  assets: (id: string, depId: string, keys: readonly string[], signal?: AbortSignal) =>
    request<DeploymentAssets>(
      'GET',
      `${one(id, depId)}/assets${keys.length ? `?${keys.map((k) => `keys=${enc(k)}`).join('&')}` : ''}`,
      undefined,
      signal,
    ),
  runs: (id: string, depId: string, limit = 25) =>
    request<DeploymentRunsPage>('GET', `${one(id, depId)}/runs?limit=${limit}`),
  run: (id: string, depId: string, runId: string) =>
    request<Run>('GET', `${one(id, depId)}/runs/${enc(runId)}`),
  logs: (id: string, depId: string, runId: string, cursor: string | null) =>
    request<RunLogsPage>(
      'GET',
      `${one(id, depId)}/runs/${enc(runId)}/logs${cursor ? `?cursor=${enc(cursor)}` : ''}`,
    ),
  launch: (id: string, depId: string, body: DeploymentLaunchBody) =>
    request<DeploymentLaunched>('POST', `${one(id, depId)}/runs`, body),
  cancel: (id: string, depId: string, runId: string) =>
    request<RunCancelled>('POST', `${one(id, depId)}/runs/${enc(runId)}/cancel`),
  reload: (id: string, depId: string) => request<DeploymentReload>('POST', `${one(id, depId)}/reload`),
};
