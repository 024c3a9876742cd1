// Preview: sync, then the real definitions loaded in the project's venv as `dg list defs` loads them (assets,
// checks, jobs, schedules, sensors, resources), each on the node that defines it, with the steps it went through.
import path from 'node:path';
import {
  referencedEnv,
  type DefinedAt,
  type PreviewProgress,
  type PreviewResult,
  type ProjectFile,
} from '@designer/shared';
import { redactValue } from '../errors.js';
import { definitionOwner, edgesNeedingCode } from './defs-nodes.js';
import type { EnvStore } from './env-store.js';
import type { InspectorService } from './inspector.js';
import { scriptRefs } from './sync/node-files.js';
import { attachToNode, nodesByFolder } from './sync/problems.js';
import type { SyncResult, SyncService } from './sync/service.js';
import { defsDirOf } from './sync/state.js';

/** Each project's preview in progress (or its last one): what `GET …/preview/events` streams. */
export class PreviewProgressBoard {
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

const SYNC_LABEL = 'Write the graph into the project';

export class PreviewService {
  readonly progress = new PreviewProgressBoard();

  constructor(
    private readonly sync: SyncService,
    private readonly inspector: InspectorService,
    private readonly env: EnvStore,
  ) {}

  async preview(project: ProjectFile, root: string): Promise<PreviewResult> {
    const started = performance.now();
    const board = this.progress;
    const id = project.id;
    board.update(id, {
      running: true,
      steps: [],
      current: { id: 'sync', label: SYNC_LABEL, startedAt: Date.now() },
    });
    let synced: SyncResult;
    let inspection: Awaited<ReturnType<InspectorService['inspect']>>;
    try {
      synced = await this.sync.ensureSynced(project, root);
      board.update(id, {
        steps: [{ id: 'sync', label: SYNC_LABEL, durationMs: synced.durationMs, status: 'done' }],
        current: { id: 'load', label: 'Load the definitions', startedAt: Date.now() },
      });
      inspection = await this.inspector.inspect(root, scriptRefs(project, root), (p) =>
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
      ...Object.values(await this.env.values(root)),
    ];
    const scrub = <T>(value: T): T => redactValue(value, secrets);
    const syncStep = {
      id: 'sync',
      label: SYNC_LABEL,
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
  }
}
