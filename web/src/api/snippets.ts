// The typed calls of project templates and snippets (issue 18), through the client's one request function.
import type {
  InsertedSnippet,
  ListedSnippet,
  PipelineTemplateSummary,
  ProjectFile,
  SavedSnippet,
  Snippet,
  SnippetSummary,
} from '@designer/shared';
import { request } from './client';

const enc = encodeURIComponent;

export type { ListedSnippet };

export const templatesApi = {
  list: () => request<PipelineTemplateSummary[]>('GET', '/api/templates'),
  create: (name: string, description: string | undefined, template: string) =>
    request<ProjectFile>('POST', '/api/projects', {
      name,
      ...(description ? { description } : {}),
      template,
    }),
};

export const snippetsApi = {
  list: () => request<ListedSnippet[]>('GET', '/api/snippets'),
  save: (
    projectId: string,
    body: { name: string; description?: string; nodes: string[]; overwrite?: boolean },
  ) => request<SavedSnippet>('POST', `/api/projects/${enc(projectId)}/snippets`, body),
  insert: (projectId: string, name: string, version: number, position?: { x: number; y: number }) =>
    request<InsertedSnippet>('POST', `/api/projects/${enc(projectId)}/snippets/${enc(name)}/insert`, {
      version,
      ...(position ? { position } : {}),
    }),
  export: (name: string) => request<Snippet>('GET', `/api/snippets/${enc(name)}`),
  import: (file: unknown, overwrite = false) =>
    request<SnippetSummary>('POST', `/api/snippets${overwrite ? '?overwrite=true' : ''}`, file),
  remove: (name: string) => request<null>('DELETE', `/api/snippets/${enc(name)}`),
};
