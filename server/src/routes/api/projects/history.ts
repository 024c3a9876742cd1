// Project history (issue 18): the entries of a project (each save, squashed in bursts), one version, the diff
// between two, and restoring one as a new save. Storage and rules: services/history/.
import {
  HISTORY_COMMIT_PATTERN,
  HistoryDiff,
  HistoryPage,
  HistoryVersion,
  RestoreBody,
  RestoreResult,
} from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { loadProject, ProjectParams, readyProject } from '../../../plugins/project-loader.js';
import { badRequest } from '../../../errors.js';
import { restoreVersion } from '../../../services/history/restore.js';
import { ProjectHistory } from '../../../services/history/store.js';
import { routes } from '../../schemas.js';

const EntryParams = Type.Object({
  ...ProjectParams.properties,
  commit: Type.String({ maxLength: 64 }),
});
const COMMIT = new RegExp(HISTORY_COMMIT_PATTERN);
const PageQuery = Type.Object({
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
const DiffQuery = Type.Object({ from: Type.String({ maxLength: 64 }), to: Type.String({ maxLength: 64 }) });

const historyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'history', { load: loadProject });
  const { projects: store, workspaces, config } = app.services;
  const history = new ProjectHistory(config.dataDir, (id) => store.workspaceOf(id));
  history.onError = (error, projectId) => app.log.warn({ err: error, projectId }, 'history write failed');
  store.history = history;
  app.services.history = history;
  // Saves acknowledged in the last seconds are written before the server stops.
  app.addHook('onClose', () => history.flushAll());

  const commitParam = (value: string, name: string) => {
    if (!COMMIT.test(value))
      throw badRequest(
        'invalid_commit',
        `${name} "${value.slice(0, 80)}" is not a history entry id.`,
        'Entry ids are the 40-hex commit ids GET /api/projects/:id/history lists.',
      );
    return value;
  };

  api.get(
    '/projects/:id/history',
    'Entries of the project history, newest first (saves in a burst are squashed into one)',
    { querystring: PageQuery, response: { 200: HistoryPage } },
    async ({ params: { id }, query }) => {
      await history.flush(id); // the newest save is listed, not still waiting for its timer
      return history.list(id, query.offset ?? 0, query.limit ?? 50);
    },
  );

  api.get(
    '/projects/:id/history/diff',
    'What changed from one entry to another: nodes and edges, changed attribute paths, file diffs',
    { querystring: DiffQuery, response: { 200: HistoryDiff } },
    async ({ params: { id }, query }) =>
      history.diff(id, commitParam(query.from, 'from'), commitParam(query.to, 'to')),
  );

  api.get(
    '/projects/:id/history/:commit',
    'One entry: its graph and the files it holds',
    { params: EntryParams, response: { 200: HistoryVersion } },
    async ({ params: { id, commit } }) => {
      const version = await history.version(id, commitParam(commit, 'entry'));
      return { entry: version.entry, graph: version.project.graph, files: version.files };
    },
  );

  api.post(
    '/projects/:id/history/:commit/restore',
    'Make an entry the current version as a new save (stale version → 409; nothing is lost)',
    { params: EntryParams, body: RestoreBody, response: { 200: RestoreResult } },
    async ({ params: { id, commit }, body }) => {
      commitParam(commit, 'entry');
      const ready = workspaces.status(id).status === 'ready';
      const { project, files } = await restoreVersion(
        history,
        store,
        id,
        commit,
        body.version,
        ready ? store.workspaceOf(id) : null,
      );
      if (ready) {
        // As after any save: the Dagster files follow the graph.
        app.services.sync.scheduleAfterSave(() => readyProject(app.services, id), id);
        if (files.some((f) => f.startsWith('src/'))) app.services.sync.onChanged(id);
      }
      return { id, version: project.version, updated_at: project.updated_at, restored: commit, files };
    },
  );
};
export default historyRoutes;
