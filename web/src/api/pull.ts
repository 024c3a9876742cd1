// The typed calls of a pull (issue 16): preview what teammates pushed to the project's branch, then apply it
// with a resolution per conflict. The token goes to the server (memory only) and never comes back.
import type { PullApplied, PullApplyBody, PullPreview, PullPreviewBody } from '@designer/shared';
import { request } from './client';

const base = (id: string) => `/api/projects/${encodeURIComponent(id)}/pull`;

export const pullApi = {
  preview: (id: string, body: PullPreviewBody) => request<PullPreview>('POST', `${base(id)}/preview`, body),
  apply: (id: string, body: PullApplyBody) => request<PullApplied>('POST', `${base(id)}/apply`, body),
};
