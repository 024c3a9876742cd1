// Sync (graph → Dagster files) and preview (the real definitions, loaded in the project's venv as `dg list defs`
// loads them: assets, checks, jobs, schedules, sensors, resources, each on the node that defines it).
import {
  ErrorBody,
  PreviewResult,
  Problem,
  referencedEnv,
  type DefinedAt,
  type PreviewProgress,
} from '@designer/shared';
import { redactValue } from '../../../errors.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { scriptRefs } from '../../../services/sync/node-files.js';
import { attachToNode, nodesByFolder } from '../../../services/sync/problems.js';
import { defsDirOf } from '../../../services/sync/state.js';
import { definitionOwner, edgesNeedingCode } from '../../../services/defs-nodes.js';
import path from 'node:path';

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const errors = { '4xx': ErrorBody, '5xx': ErrorBody };

export const SyncResponse = Type.Object({
  changed: Type.Array(Type.String()),
  problems: Type.Array(Problem),
  steps: Type.Array(Type.String()),
  durationMs: Type.Number(),
});

export const PreviewResponse = PreviewResult;

/** Each project's preview in progress (or its last one): what `GET …/preview/events` streams. */
class PreviewProgressBoard {
  private states = new Map<string, PreviewProgress>();
  private listeners = new Map<string, Set<(p: PreviewProgress) => void>>();

  get(id: string): PreviewProgress {
    return this.states.get(id) ?? { running: false, steps: [] };
  }

  update(id: string, change: Partial<PreviewProgress>): void {
    const next = { ...this.get(id), ...change };
    if (!next.current) delete next.current;
    this.states.set(id, next);
    for (const listener of this.listeners.get(id) ?? []) listener(next);
  }

  listen(id: string, listener: (p: PreviewProgress) => void): () => void {
    const set = this.listeners.get(id) ?? new Set();
    set.add(listener);
    this.listeners.set(id, set);
    return () => set.delete(listener);
  }
}

const syncRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { projects, workspaces, sync, inspector, env } = app.services;
  const board = new PreviewProgressBoard();

  app.post(
    '/projects/:id/sync',
    {
      schema: {
        tags: ['sync'],
        summary: 'Write the graph into the Dagster project and validate it (schemas, and dg check yaml)',
        params: Params,
        response: { 200: SyncResponse, ...errors },
      },
    },
    async (request) => {
      const project = await projects.read(request.params.id);
      const root = workspaces.requireReady(project.id);
      return sync.sync(project, root, { checkWithDg: true });
    },
  );

  app.get(
    '/projects/:id/sync',
    {
      schema: {
        tags: ['sync'],
        summary: 'The result of the last sync (syncs run after every save)',
        params: Params,
        response: {
          200: Type.Union([
            Type.Intersect([
              SyncResponse,
              Type.Object({ at: Type.String(), error: Type.Optional(Type.String()) }),
            ]),
            Type.Null(),
          ]),
          ...errors,
        },
      },
    },
    async (request) => {
      const project = await projects.read(request.params.id);
      return sync.last.get(project.id) ?? null;
    },
  );

  app.post(
    '/projects/:id/check',
    {
      schema: {
        tags: ['sync'],
        summary: 'Sync, then `dg check defs`: load every definition as Dagster would',
        params: Params,
        response: {
          200: Type.Object({ ok: Type.Boolean(), problems: Type.Array(Problem), durationMs: Type.Number() }),
          ...errors,
        },
      },
    },
    async (request) => {
      const project = await projects.read(request.params.id);
      const root = workspaces.requireReady(project.id);
      await sync.sync(project, root);
      return sync.checkDefs(project, root);
    },
  );

  app.post(
    '/projects/:id/preview',
    {
      schema: {
        tags: ['sync'],
        summary: 'Sync, then load the whole project once (as dg list defs) and list what it defines',
        params: Params,
        response: { 200: PreviewResponse, ...errors },
      },
    },
    async (request) => {
      const started = performance.now();
      const project = await projects.read(request.params.id);
      const root = workspaces.requireReady(project.id);
      const id = project.id;
      board.update(id, {
        running: true,
        steps: [],
        current: { id: 'sync', label: 'Write the graph into the project', startedAt: Date.now() },
      });
      let synced: Awaited<ReturnType<typeof sync.sync>>;
      let inspection: Awaited<ReturnType<typeof inspector.inspect>>;
      try {
        synced = await sync.sync(project, root);
        board.update(id, {
          steps: [
            {
              id: 'sync',
              label: 'Write the graph into the project',
              durationMs: synced.durationMs,
              status: 'done',
            },
          ],
          current: { id: 'load', label: 'Load the definitions', startedAt: Date.now() },
        });
        inspection = await inspector.inspect(root, scriptRefs(project, root), (p) =>
          board.update(id, { current: { id: p.step, label: p.label, startedAt: Date.now() } }),
        );
      } catch (error) {
        board.update(id, { running: false, current: undefined });
        throw error;
      }
      const nodeByFolder = nodesByFolder(project.graph.nodes);
      const defsRelative = path.relative(root, defsDirOf(root, project.package_name));
      const onNode = <T extends { defined_at?: DefinedAt; folder?: string }>({ folder, ...item }: T) => {
        const node = definitionOwner(project.graph.nodes, { ...item, folder });
        return node ? { ...item, nodeId: node.id } : item;
      };
      const seen = new Set(synced.problems.map((p) => `${p.nodeId}|${p.message}`));
      const loadProblems = inspection.problems
        .map((p) => attachToNode(p, nodeByFolder, defsRelative))
        .filter((p) => !seen.has(`${p.nodeId}|${p.message}`));
      // Dagster resolves {{ env.X }} while loading: never send those values back (metadata, messages).
      const secrets = [
        ...referencedEnv(project).map((v) => process.env[v.name]),
        ...Object.values(await env.values(root)),
      ];
      const scrub = <T>(value: T): T => redactValue(value, secrets);
      const syncStep = {
        id: 'sync',
        label: 'Write the graph into the project',
        durationMs: synced.durationMs,
        status: 'done' as const,
      };
      board.update(id, { running: false, current: undefined, steps: [syncStep, ...inspection.steps] });
      return {
        assets: scrub(inspection.assets.map(onNode)),
        checks: scrub(inspection.checks.map(onNode)),
        jobs: scrub(inspection.jobs.map(onNode)),
        schedules: scrub(inspection.schedules.map(onNode)),
        sensors: scrub(inspection.sensors.map(onNode)),
        resources: scrub(inspection.resources.map(onNode)),
        problems: scrub([
          ...synced.problems,
          ...loadProblems,
          // A node that failed to load has no assets to judge its edges by (a partial preview).
          ...edgesNeedingCode(project.graph, inspection.assets.map(onNode)).filter(
            (p) => !loadProblems.some((f) => f.severity === 'error' && f.nodeId === p.nodeId),
          ),
        ]),
        steps: [syncStep, ...inspection.steps],
        durationMs: performance.now() - started,
        syncMs: synced.durationMs,
        inspectMs: inspection.durationMs,
        warm: inspection.warm,
        changed: synced.changed,
        ...(inspection.partial ? { partial: true } : {}),
      };
    },
  );

  app.get(
    '/projects/:id/preview/events',
    {
      schema: {
        tags: ['sync'],
        summary:
          "The preview's steps as server-sent events while it runs (a component's state being refreshed, the load), until it ends",
        params: Params,
      },
    },
    async (request, reply) => {
      const project = await projects.read(request.params.id); // 404 before the stream starts
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      const send = (p: PreviewProgress) =>
        out.write(`${p.running ? '' : 'event: end\n'}data: ${JSON.stringify(p)}\n\n`);
      const first = board.get(project.id);
      send(first);
      if (!first.running) return void out.end();
      const stop = board.listen(project.id, (p) => {
        send(p);
        if (!p.running) {
          stop();
          out.end();
        }
      });
      request.raw.on('close', stop);
    },
  );
};
export default syncRoutes;
