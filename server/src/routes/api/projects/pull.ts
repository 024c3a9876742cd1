// Pull (issue 16): preview what teammates pushed to the project's branch (commits, file diffs, conflicts, the
// nodes it adds, removes or changes), then apply it with a resolution for each conflict.
import { PullApplied, PullApplyBody, PullPreview, PullPreviewBody } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PullService } from '../../../services/git/pull.js';
import { routes } from '../../schemas.js';

const pullRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'hand-over');
  const { sync, git, projects, importer, config } = app.services;
  const pulls = new PullService(git, projects, sync, importer, config.dataDir);

  api.post(
    '/projects/:id/pull/preview',
    "Fetch the project's branch and show what merging it would change; nothing is written",
    { body: PullPreviewBody, response: { 200: PullPreview } },
    ({ project, root, body }) => pulls.preview(project, root, body),
  );

  api.post(
    '/projects/:id/pull/apply',
    'Merge the branch into the project (conflicts resolved), rebuild the graph and save it',
    { body: PullApplyBody, response: { 200: PullApplied } },
    ({ project, root, body }) => pulls.apply(project, root, body),
  );
};
export default pullRoutes;
