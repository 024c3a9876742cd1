// Pull (issue 16): preview what teammates pushed to the project's branch (commits, file diffs, conflicts, the
// nodes it adds, removes or changes), then apply it with a resolution for each conflict.
import { PullApplied, PullApplyBody, PullPreview, PullPreviewBody } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { loadReadyProject, ProjectParams } from '../../../plugins/project-loader.js';
import { PullService } from '../../../services/git/pull.js';
import { errors } from '../../schemas.js';

const pullRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { sync, git, projects, importer, config } = app.services;
  const pulls = new PullService(git, projects, sync, importer, config.dataDir);

  app.post(
    '/projects/:id/pull/preview',
    {
      preHandler: loadReadyProject,
      schema: {
        tags: ['hand-over'],
        summary: "Fetch the project's branch and show what merging it would change; nothing is written",
        params: ProjectParams,
        body: PullPreviewBody,
        response: { 200: PullPreview, ...errors },
      },
    },
    async ({ project, root, body }) => {
      await sync.ensureSynced(project, root);
      return pulls.preview(project, root, body);
    },
  );

  app.post(
    '/projects/:id/pull/apply',
    {
      preHandler: loadReadyProject,
      schema: {
        tags: ['hand-over'],
        summary: 'Merge the branch into the project (conflicts resolved), rebuild the graph and save it',
        params: ProjectParams,
        body: PullApplyBody,
        response: { 200: PullApplied, ...errors },
      },
    },
    async ({ project, root, body }) => {
      await sync.ensureSynced(project, root);
      return pulls.apply(project, root, body);
    },
  );
};
export default pullRoutes;
