// Git hand-over: see what would change on the remote branch, then commit and push it.
import { GitDiff, GitPushed, GitTarget as Target } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { loadProject } from '../../../plugins/project-loader.js';
import { recordPush } from '../../../services/deployments/code-version.js';
import { normaliseRemote } from '../../../services/git/target.js';
import { plusCiFile } from '../../../services/plus-ci.js';
import { routes } from '../../schemas.js';

const SingleLine = (max: number) => Type.String({ maxLength: max, pattern: '^[^\\u0000-\\u001f]*$' });
const DiffBody = Type.Object(Target, { additionalProperties: false });
const PushBody = Type.Object(
  {
    ...Target,
    message: Type.Optional(Type.String({ maxLength: 5000 })),
    authorName: Type.Optional(SingleLine(200)),
    authorEmail: Type.Optional(SingleLine(200)),
  },
  { additionalProperties: false },
);

const gitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'hand-over');
  const { sync, git } = app.services;
  /** With a Dagster+ deployment, the CI file `dg plus deploy configure` writes goes on the branch too. */
  const ciFiles = async (projectId: string, root: string, remote: string) => {
    const plus = (await app.services.deployments.list(projectId)).find((d) => d.kind === 'plus');
    const file = plus ? await plusCiFile(root, plus, remote) : null;
    return file ? [file] : [];
  };

  api.post(
    '/projects/:id/git/diff',
    'Changed files and unified diff of the generated project against the remote branch',
    { body: DiffBody, response: { 200: GitDiff } },
    async ({ project, root, body }) => {
      await sync.ensureSynced(project, root);
      return git.diff(project, root, body, await ciFiles(project.id, root, body.remote));
    },
  );

  api.post(
    '/projects/:id/git/push',
    'Commit the generated project on the branch (created if missing) and push; never forces',
    { body: PushBody, response: { 200: GitPushed } },
    async ({ project, root, body }) => {
      await sync.ensureSynced(project, root);
      const pushed = await git.push(project, root, body, await ciFiles(project.id, root, body.remote));
      // What a deployment is compared with before a run there (a commit id; the token is not kept).
      if (pushed.commit)
        await recordPush(app.services.config.dataDir, project.id, {
          commit: pushed.commit,
          branch: pushed.branch,
          remote: normaliseRemote(body.remote),
          at: new Date().toISOString(),
        });
      return pushed;
    },
  );

  api.delete(
    '/projects/:id/git/token',
    'Forget the token held in memory for this project',
    { response: { 204: Type.Null() }, load: loadProject },
    async ({ project }, reply) => {
      git.forgetToken(project.id);
      return reply.status(204).send(null);
    },
  );
};
export default gitRoutes;
