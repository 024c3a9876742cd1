// The typed API client: the only place in the web app that calls fetch.
import type {
  LaidOutGraph,
  LayoutGraph,
  AssetCheckResults,
  ConnectionAdded,
  GitDiff,
  GitPushed,
  ImportedProject,
  LocalRunsPage,
  RunCancelled,
  RunConfigSchema,
  RunLaunched,
  AutomationState,
  Instigator,
  GitChange,
  GitTarget,
  InstanceState,
  Run,
  RunEvent,
  RunLaunch,
  ComponentCatalog,
  ComponentSchema,
  EnvVarStatus,
  ErrorBody,
  Health,
  ProjectFile,
  ProjectSummary,
  SavedProject,
  SaveProjectBody,
  WorkspaceStatus,
  PreviewResult,
  SyncResult,
  ProjectFileEntry,
  ProjectFileContent,
  WrittenFile,
  CheckResult,
} from '@designer/shared';

export type {
  EnvVarStatus,
  GitChange,
  GitTarget,
  InstanceState,
  PreviewResult,
  ProjectFileEntry,
  Run,
  RunEvent,
  RunLaunch,
  SyncResult,
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Sent on every call: the server asks it of browsers that send no Origin or Fetch Metadata (see README, Security model). */
const SPA = { 'x-designer-request': '1' };

/** The one way the web calls the API: JSON in and out, errors as ApiError with the server's code, message and hint. */
export async function request<T>(
  method: string,
  url: string,
  body?: unknown,
  signal?: AbortSignal,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        ...SPA,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...extraHeaders,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(
      0,
      'network',
      'The designer server cannot be reached.',
      'Check that `npm start` is still running.',
    );
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok)
    throw apiError(response.status, parsed, `${method} ${url} failed with ${response.status}.`);
  return parsed as T;
}

/** The one reading of the server's error answer `{ error: { code, message, hint?, details? } }`. */
function apiError(status: number, body: unknown, fallback: string): ApiError {
  const e = (body as Partial<ErrorBody> | undefined)?.error;
  return new ApiError(status, e?.code ?? 'http_error', e?.message ?? fallback, e?.hint, e?.details);
}

const enc = encodeURIComponent;
const fileUrl = (id: string, path: string) =>
  `/api/projects/${enc(id)}/files/${path.split('/').map(enc).join('/')}`;

/** Downloads the project ZIP, reporting bytes as they arrive (the server streams it, so no total). */
async function downloadZip(
  id: string,
  onProgress: (bytes: number) => void,
): Promise<{ blob: Blob; filename: string; problems: number }> {
  const response = await fetch(`/api/projects/${enc(id)}/export.zip`, { headers: SPA });
  if (!response.ok)
    throw apiError(
      response.status,
      await response.json().catch(() => undefined),
      `Export failed with ${response.status}.`,
    );
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onProgress(received);
  }
  const filename =
    /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'project.zip';
  return {
    blob: new Blob(chunks as BlobPart[], { type: 'application/zip' }),
    filename,
    problems: Number(response.headers.get('x-designer-problems') ?? 0),
  };
}

export const api = {
  health: () => request<Health>('GET', '/api/health'),
  layout: (graph: LayoutGraph) => request<LaidOutGraph>('POST', '/api/layout', graph),
  downloadZip,
  listProjects: () => request<ProjectSummary[]>('GET', '/api/projects'),
  createProject: (name: string, description?: string) =>
    request<ProjectFile>('POST', '/api/projects', { name, ...(description ? { description } : {}) }),
  getProject: (id: string) => request<ProjectFile>('GET', `/api/projects/${enc(id)}`),
  saveProject: (id: string, body: SaveProjectBody) =>
    request<SavedProject>('PUT', `/api/projects/${enc(id)}`, body),
  renameProject: (id: string, name: string, version: number) =>
    request<ProjectFile>('PATCH', `/api/projects/${enc(id)}`, { name, version }),
  deleteProject: (id: string) => request<void>('DELETE', `/api/projects/${enc(id)}`),
  workspace: (id: string) => request<WorkspaceStatus>('GET', `/api/projects/${enc(id)}/workspace`),
  retryWorkspace: (id: string) => request<WorkspaceStatus>('POST', `/api/projects/${enc(id)}/workspace`),
  sync: (id: string) => request<SyncResult>('POST', `/api/projects/${enc(id)}/sync`),
  gitDiff: (id: string, target: GitTarget) =>
    request<GitDiff>('POST', `/api/projects/${enc(id)}/git/diff`, target),
  gitPush: (id: string, body: GitTarget & { message?: string; authorName?: string; authorEmail?: string }) =>
    request<GitPushed>('POST', `/api/projects/${enc(id)}/git/push`, body),
  importProject: (
    id: string,
    body:
      { source: 'folder'; path: string } | { source: 'git'; remote: string; branch?: string; token?: string },
  ) => request<ImportedProject>('POST', `/api/projects/${enc(id)}/import`, body),
  importZip: async (id: string, file: Blob) => {
    const response = await fetch(`/api/projects/${enc(id)}/import.zip`, {
      method: 'POST',
      headers: { ...SPA, 'content-type': 'application/zip' },
      body: file,
    });
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw apiError(response.status, body, 'Import failed.');
    return body as ImportedProject;
  },
  /** Runs the assets of `nodes` (node ids; their keys are resolved by the server after its sync), or all. */
  launchRun: (
    id: string,
    nodes?: string[],
    options: { runConfig?: Record<string, unknown>; env?: Record<string, string> } = {},
  ) =>
    request<RunLaunched>('POST', `/api/projects/${enc(id)}/runs`, {
      ...(nodes && nodes.length ? { nodes } : {}),
      ...(options.runConfig && Object.keys(options.runConfig).length ? { runConfig: options.runConfig } : {}),
      ...(options.env && Object.keys(options.env).length ? { env: options.env } : {}),
    }),
  runConfigSchema: (id: string, nodes?: string[]) =>
    request<RunConfigSchema>(
      'POST',
      `/api/projects/${enc(id)}/runs/config-schema`,
      nodes && nodes.length ? { nodes } : {},
    ),
  runs: (id: string, limit = 30) =>
    request<LocalRunsPage>('GET', `/api/projects/${enc(id)}/runs?limit=${limit}`),
  /** Starts the project's Dagster instance ahead of a run (answers at once with its state). */
  warmInstance: (id: string) => request<InstanceState>('POST', `/api/projects/${enc(id)}/instance`),
  run: (runId: string) => request<Run>('GET', `/api/runs/${enc(runId)}`),
  cancelRun: (runId: string) => request<RunCancelled>('POST', `/api/runs/${enc(runId)}/cancel`),
  /** Live log events of a run (server-sent events); returns a function that stops listening. */
  streamRunEvents: (
    runId: string,
    onEvent: (e: RunEvent) => void,
    onEnd: (status: string) => void,
  ): (() => void) => {
    const source = new EventSource(`/api/runs/${enc(runId)}/events`);
    source.onmessage = (m) => onEvent(JSON.parse(m.data as string) as RunEvent);
    source.addEventListener('end', (m) => {
      onEnd((JSON.parse((m as MessageEvent).data as string) as { status: string }).status);
      source.close();
    });
    source.addEventListener('error', () => source.close());
    return () => source.close();
  },
  checkDefs: (id: string) => request<CheckResult>('POST', `/api/projects/${enc(id)}/check`),
  preview: (id: string) => request<PreviewResult>('POST', `/api/projects/${enc(id)}/preview`),
  listFiles: (id: string) => request<ProjectFileEntry[]>('GET', `/api/projects/${enc(id)}/files`),
  readFile: (id: string, path: string) => request<ProjectFileContent>('GET', fileUrl(id, path)),
  /** Writes a file; `hash` is the version edited (null for a new file). A concurrent change answers 409. */
  writeFile: (id: string, path: string, content: string, hash: string | null) =>
    request<WrittenFile>(
      'PUT',
      fileUrl(id, path),
      { content },
      undefined,
      hash ? { 'if-match': `"${hash}"` } : {},
    ),
  env: (id: string) => request<EnvVarStatus[]>('GET', `/api/projects/${enc(id)}/env`),
  setEnv: (id: string, name: string, value: string | null) =>
    value === null
      ? request<EnvVarStatus[]>('DELETE', `/api/projects/${enc(id)}/env/${enc(name)}`)
      : request<EnvVarStatus[]>('PUT', `/api/projects/${enc(id)}/env/${enc(name)}`, { value }),
  automation: (id: string) => request<AutomationState>('GET', `/api/projects/${enc(id)}/automation`),
  assetChecks: (id: string) => request<AssetCheckResults>('GET', `/api/projects/${enc(id)}/asset-checks`),
  setInstigatorRunning: (id: string, kind: Instigator['kind'], name: string, running: boolean) =>
    request<Instigator>('POST', `/api/projects/${enc(id)}/automation/${kind}/${enc(name)}`, { running }),
  addDuckDbConnection: (id: string) =>
    request<ConnectionAdded>('POST', `/api/projects/${enc(id)}/components/duckdb-connection`),
  components: (projectId?: string) =>
    request<ComponentCatalog>('GET', `/api/components${projectId ? `?project=${enc(projectId)}` : ''}`),
  componentSchema: (type: string, projectId?: string) =>
    request<ComponentSchema>(
      'GET',
      `/api/components/${enc(type)}/schema${projectId ? `?project=${enc(projectId)}` : ''}`,
    ),
};
