// Sync: writes the graph into the real Dagster project. Incremental (a node whose managed defs did not
// change is not touched), serialised per project, and every problem lands on the node that caused it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { topologicalOrder, type Problem, type ProjectFile, type SyncResult } from '@designer/shared';
import { AppError } from '../../errors.js';
import { KeyedQueue } from '../atomic-file.js';
import type { CatalogService } from '../catalog.js';
import type { DagsterCli } from '../dagster-cli.js';
import { dbtProblems, missingDbtEnvProblems } from '../dbt-project.js';
import { definitionOwner } from '../defs-nodes.js';
import type { InspectorService } from '../inspector.js';
import { projectPathProblems } from '../project-paths.js';
import { ensureScheduledJobComponent } from '../schedule-defs.js';
import type { Toolchain } from '../toolchain.js';
import { installLibraries } from './libraries.js';
import { restoreDocuments } from './documents.js';
import { planner } from './plan.js';
import { dgProblems, missingEnvProblems } from './problems.js';
import { removeDeletedAndRenamed } from './removals.js';
import {
  EMPTY_STATE,
  defsDirOf,
  filesOf,
  located,
  ownDataHash,
  readState,
  trashOf,
  writeState,
  type SyncState,
} from './state.js';
import { refreshValidation } from './validation.js';
import { writeNode, type SyncRun } from './write-node.js';

/** What a sync answers: defined once, in shared/src/api.ts. */
export type { SyncResult };

export class SyncService {
  private queue = new KeyedQueue();
  private timers = new Map<string, NodeJS.Timeout>();
  /** The result of the last background sync per project (what GET …/sync reports). */
  readonly last = new Map<string, SyncResult & { at: string; error?: string }>();
  /** Called after a sync that changed files (a running Dagster instance reloads). */
  onChanged: (projectId: string) => void = () => undefined;

  constructor(
    private readonly cli: DagsterCli,
    private readonly toolchain: Toolchain,
    private readonly catalog: CatalogService,
    private readonly inspector: InspectorService,
    /** The project's env values (its .env), to tell which referenced variables are missing. */
    private readonly envOf: (root: string) => Promise<Record<string, string>> = () => Promise.resolve({}),
  ) {}

  /**
   * `checkWithDg` also runs the real `dg check yaml` (2–3 s); without it, every defs.yaml is still
   * validated against the same schemas from dg's registry, in milliseconds (saves use that path).
   */
  sync(project: ProjectFile, root: string, options: { checkWithDg?: boolean } = {}): Promise<SyncResult> {
    return this.queue.run(project.id, async () => {
      const result = await this.run(project, root, options.checkWithDg ?? false);
      this.last.set(project.id, { ...result, at: new Date().toISOString() });
      if (result.changed.length > 0) this.onChanged(project.id);
      return result;
    });
  }

  /**
   * The workspace's files made current with the project before something reads them (preview, check, export,
   * a run, a push): a sync validated against the schemas only, queued behind any sync under way.
   */
  ensureSynced(project: ProjectFile, root: string): Promise<SyncResult> {
    return this.sync(project, root);
  }

  /**
   * Takes files that already exist (an import) as the designer's own: records each node's current
   * managed defs, so a sync with no change writes nothing and the imported files stay byte for byte.
   */
  async adopt(project: ProjectFile, root: string): Promise<void> {
    await this.queue.run(project.id, async () => {
      const state = structuredClone(EMPTY_STATE);
      await this.learnAssetKeys(project, root, state).catch(() => undefined);
      const { plan } = await planner(this.catalog, project, root, state);
      for (const node of project.graph.nodes) {
        state.nodes[node.id] = {
          label: node.data.label,
          type: node.data.component_type,
          hash: node.type === 'python' ? '' : plan(node).hash,
          ...(node.data.defined_at ? located(node) : {}),
        };
      }
      await writeState(root, state);
    });
  }

  /** Syncs a project shortly after a save (debounced), so the Dagster files follow the canvas. */
  scheduleAfterSave(
    load: () => Promise<{ project: ProjectFile; root: string } | null>,
    id: string,
    delayMs = 1000,
  ): void {
    clearTimeout(this.timers.get(id));
    const timer = setTimeout(() => {
      this.timers.delete(id);
      void load()
        .then((target) => (target ? this.sync(target.project, target.root) : undefined))
        .catch((error: unknown) => {
          this.last.set(id, {
            changed: [],
            problems: [],
            steps: [],
            durationMs: 0,
            at: new Date().toISOString(),
            error: error instanceof Error ? error.message : String(error),
          });
        });
    }, delayMs);
    timer.unref();
    this.timers.set(id, timer);
  }

  stopTimers(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async run(project: ProjectFile, root: string, checkWithDg: boolean): Promise<SyncResult> {
    const started = performance.now();
    const defsDir = defsDirOf(root, project.package_name);
    const defsRelative = path.relative(root, defsDir);
    if (!existsSync(defsDir))
      throw new AppError(
        409,
        'workspace_broken',
        `The Dagster project has no ${defsRelative} folder.`,
        'Recreate the workspace or restore the folder.',
      );
    const state = await readState(root);
    const run: SyncRun = {
      project,
      root,
      defsDir,
      defsRelative,
      state,
      steps: [],
      changed: [],
      problems: [],
    };
    const { steps, changed, problems } = run;
    const nodes = project.graph.nodes;
    const byId = new Map(nodes.map((n) => [n.id, n]));

    await installLibraries(
      { cli: this.cli, toolchain: this.toolchain, catalog: this.catalog, inspector: this.inspector },
      project,
      root,
      steps,
      problems,
    );
    if (nodes.some((n) => n.type === 'schedule')) {
      const added = await ensureScheduledJobComponent(root, project.package_name);
      if (added.length > 0) {
        steps.push('add the ScheduledJobComponent to the project');
        changed.push(...added);
        this.catalog.invalidate(root);
      }
    }
    await removeDeletedAndRenamed(run);

    const order =
      topologicalOrder(
        nodes.map((n) => n.id),
        project.graph.edges,
      ) ?? nodes.map((n) => n.id);
    const { upstreamOf, keysOf, plan, entries } = await planner(this.catalog, project, root, state);
    const restored = await restoreDocuments(
      root,
      defsDir,
      state.nodes,
      nodes,
      (id) => trashOf(root, id),
      (node) => {
        const { label, component_type: type } = node.data;
        state.nodes[node.id] = { label, type, hash: plan(node).hash, ...located(node), files: filesOf(node) };
      },
    );
    changed.push(...restored.changed);
    problems.push(...restored.problems);

    for (const id of order) await writeNode(run, this.cli, byId.get(id)!, plan);

    // Edges from nodes whose keys are only known by loading Dagster: inspect once, then write again.
    const unknown = nodes.filter((n) => upstreamOf(n.id).some((u) => keysOf(u) === null));
    if (unknown.length > 0) {
      steps.push('inspect definitions for upstream asset keys');
      await this.learnAssetKeys(project, root, state);
      for (const id of order) {
        const node = byId.get(id)!;
        if (unknown.includes(node)) await writeNode(run, this.cli, node, plan);
      }
      for (const node of unknown) {
        if (node.type === 'python') continue;
        const missing = upstreamOf(node.id)
          .filter((u) => keysOf(u) === null)
          .map((u) => byId.get(u)!.data.label);
        if (missing.length > 0)
          problems.push({
            severity: 'warning',
            nodeId: node.id,
            message: `${node.data.label}: the assets of ${missing.join(', ')} are not known yet, so the dependency is not written.`,
            hint: 'Fix the problems of the upstream component, then preview again.',
          });
      }
    }

    await refreshValidation(run, this.cli, entries, checkWithDg);
    problems.push(...(state.validation ?? []));
    problems.push(...(await projectPathProblems(project, root)));
    const envValues = await this.envOf(root);
    problems.push(...missingEnvProblems(project, envValues));
    // dbt: a project path that leads nowhere, env vars its profile reads, DuckDB files that differ.
    problems.push(
      ...dbtProblems(project, root, envValues),
      ...missingDbtEnvProblems(project, root, envValues),
    );
    await writeState(root, state);
    return { changed, problems, steps, durationMs: performance.now() - started };
  }

  /** Records, per node, the asset keys the real definitions give it. */
  async learnAssetKeys(project: ProjectFile, root: string, state?: SyncState): Promise<void> {
    const own = state ?? (await readState(root));
    const inspection = await this.inspector.inspect(root);
    const keys: Record<string, string[]> = {};
    for (const asset of inspection.assets) {
      const node = definitionOwner(project.graph.nodes, asset);
      if (!node) continue;
      (keys[node.id] ??= []).push(asset.key);
    }
    for (const node of project.graph.nodes) {
      if (!keys[node.id]) continue;
      own.assets[node.id] = keys[node.id]!.sort();
      (own.assetsFrom ??= {})[node.id] = ownDataHash(node);
    }
    if (!state) await writeState(root, own);
  }
  /** `dg check defs` (loads every definition, as Dagster would), on demand. */
  async checkDefs(
    project: ProjectFile,
    root: string,
  ): Promise<{ ok: boolean; problems: Problem[]; durationMs: number }> {
    return this.queue.run(project.id, async () => {
      const result = await this.cli.checkDefs(root);
      const problems =
        result.exitCode === 0
          ? []
          : dgProblems(`${result.stdout}\n${result.stderr}`, project, root, 'dg check defs');
      return { ok: result.exitCode === 0, problems, durationMs: result.durationMs };
    });
  }
}
