// Pull: takes in what teammates pushed to the project's branch. The branch is fetched into a throw-away
// repository (GitPublisher.fetchBranch: same token rules as a push), each file is merged three ways against the
// designer's last push or pull of that branch (git merge-file where both sides changed), and the graph is rebuilt
// from the merged defs as import does, keeping existing nodes (ids, positions) where their file is the same.
// Nothing in the workspace changes before apply; the throw-away repository is removed whatever happens.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {
  Graph,
  GitTarget,
  Problem,
  ProjectFile,
  PullApplied,
  PullConflict,
  PullFile,
  PullPreview,
  PullResolution,
} from '@designer/shared';
import { badRequest, conflict } from '../../errors.js';
import { realPathInside } from '../../lib/safe-path.js';
import { writeFileInside } from '../atomic-file.js';
import { handOverFiles } from '../zip-writer.js';
import type { Importer } from '../importer.js';
import type { ProjectStore } from '../project-store.js';
import { nodeDiff, rebuildGraph } from '../pull-graph.js';
import type { SyncService } from '../sync/service.js';
import { fileDiff, isText, type Blob } from './local.js';
import { recordPull } from './pull-base.js';
import { planPull, type Merged } from './pull-plan.js';
import type { GitPublisher } from './publisher.js';
import { normaliseRemote } from './target.js';

const same = (a: Blob | undefined, b: Blob | undefined) =>
  a === undefined || b === undefined ? a === b : a.data.equals(b.data);

export class PullService {
  constructor(
    private readonly git: GitPublisher,
    private readonly projects: ProjectStore,
    private readonly sync: SyncService,
    private readonly importer: Importer,
    private readonly dataDir: string,
  ) {}

  /** Runs `work` on a fresh throw-away folder, always removed. */
  private async withScratch<T>(work: (dir: string) => Promise<T>): Promise<T> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'designer-pull-'));
    try {
      return await work(dir);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** What the pull would bring, compared with the project's files as synced now; nothing else changes on disk. */
  async preview(project: ProjectFile, root: string, target: GitTarget): Promise<PullPreview> {
    await this.sync.ensureSynced(project, root);
    return this.withScratch(async (scratch) => {
      const plan = await planPull(this.git, this.dataDir, project, root, target, scratch);
      const files: PullFile[] = [];
      const conflicts: PullConflict[] = [];
      for (const f of plan.merged) {
        const to = f.outcome === 'conflict' ? f.theirs : f.result;
        files.push({
          path: f.path,
          status: !to ? 'deleted' : !f.mine ? 'added' : 'modified',
          outcome: f.outcome,
          diff: await fileDiff(scratch, f.path, f.mine?.data, to?.data),
        });
        if (f.outcome === 'conflict') {
          const text = (b?: Blob) => (b && isText(b.data) ? b.data.toString('utf8') : null);
          conflicts.push({
            path: f.path,
            mine: text(f.mine),
            theirs: text(f.theirs),
            merged: f.conflictText,
            binary: !isText(f.mine?.data) || !isText(f.theirs?.data),
          });
        }
      }
      // The graph the merged defs give (conflicts taken as teammates' version), built from a copy of the defs.
      const tree = path.join(scratch, 'tree');
      const defsPrefix = `src/${project.package_name}/defs/`;
      const changed = new Set(plan.merged.map((f) => f.path));
      const results = new Map(
        plan.merged.map((f) => [f.path, f.outcome === 'conflict' ? f.theirs : f.result]),
      );
      const defsFiles = new Set(
        [...(await handOverFiles(project, root)).map((f) => f.name), ...results.keys()].filter((p) =>
          p.startsWith(defsPrefix),
        ),
      );
      for (const p of defsFiles) {
        const data = results.has(p) ? results.get(p)?.data : await fs.readFile(path.join(root, p));
        if (data === undefined) continue;
        await fs.mkdir(path.dirname(path.join(tree, p)), { recursive: true });
        await fs.writeFile(path.join(tree, p), data);
      }
      const { graph } = await rebuildGraph(project.graph, tree, project.package_name, changed);
      return {
        branch: target.branch,
        head: plan.head,
        base: plan.base,
        version: project.version,
        upToDate: plan.merged.length === 0,
        fastForward: plan.fastForward,
        commits: plan.commits,
        files,
        conflicts,
        graph: nodeDiff(project.graph, graph),
      };
    });
  }

  /** Merges the branch into the project: files written, graph rebuilt and saved (a new version in History). */
  async apply(
    project: ProjectFile,
    root: string,
    body: GitTarget & { head: string; version: number; resolutions?: PullResolution[] },
  ): Promise<PullApplied> {
    await this.sync.ensureSynced(project, root);
    if (body.version !== project.version)
      throw conflict(
        'stale_version',
        `The project was saved since the preview (version ${project.version}; the preview was of version ${body.version}).`,
        'Preview the pull again.',
      );
    return this.withScratch(async (scratch) => {
      const plan = await planPull(this.git, this.dataDir, project, root, body, scratch);
      if (plan.head !== body.head)
        throw conflict(
          'pull_branch_moved',
          `The branch "${body.branch}" moved on since the preview (now at ${plan.head.slice(0, 12)}).`,
          'Preview the pull again to see the new changes.',
        );
      const writes = this.resolve(plan.merged, body.resolutions ?? []);
      const changed = new Set(writes.map((w) => w.path));
      // Written, then the graph rebuilt; a failure before the save puts the designer's files back as they were.
      let savedGraph = false;
      try {
        for (const w of writes) {
          const file = await realPathInside(root, path.join(root, w.path));
          if (w.result) await writeFileInside(root, file, w.result.data, w.result.mode);
          else await fs.rm(file, { force: true });
        }
        const problems: Problem[] = [];
        const rebuilt = await rebuildGraph(project.graph, root, project.package_name, changed, problems);
        const graph = await this.edgesOf(project, root, rebuilt.graph, rebuilt.touched);
        // The version it saves remembers where it came from (as the Push and Pull dialogs offer it next time), so
        // the designer has nothing left to save after a pull.
        const saved = await this.projects.save(project.id, {
          version: project.version,
          graph,
          git_repo: normaliseRemote(body.remote),
          git_branch: body.branch,
        });
        savedGraph = true;
        await this.sync.adopt(saved, root);
        this.sync.onChanged(project.id);
        await recordPull(this.dataDir, project.id, {
          commit: plan.head,
          branch: body.branch,
          remote: normaliseRemote(body.remote),
          at: new Date().toISOString(),
        });
        return {
          version: saved.version,
          head: plan.head,
          files: writes.map((w) => ({
            path: w.path,
            status: !w.result ? ('deleted' as const) : !w.mine ? ('added' as const) : ('modified' as const),
          })),
          graph: nodeDiff(project.graph, graph),
        };
      } catch (error) {
        if (savedGraph) throw error;
        for (const w of writes) {
          const file = path.join(root, w.path);
          if (w.mine) await writeFileInside(root, file, w.mine.data, w.mine.mode).catch(() => undefined);
          else await fs.rm(file, { force: true }).catch(() => undefined);
        }
        throw error;
      }
    });
  }

  /** Each merged file with its result: conflicts need a resolution, and only conflicts take one. */
  private resolve(merged: Merged[], resolutions: PullResolution[]): Merged[] {
    const byPath = new Map(resolutions.map((r) => [r.path, r]));
    for (const r of resolutions)
      if (!merged.some((f) => f.path === r.path && f.outcome === 'conflict'))
        throw badRequest(
          'pull_resolution_unknown',
          `"${r.path.slice(0, 200)}" is not a conflict of this pull.`,
          'Send resolutions only for the files the preview lists as conflicts.',
        );
    const open = merged.filter((f) => f.outcome === 'conflict' && !byPath.has(f.path)).map((f) => f.path);
    if (open.length > 0)
      throw conflict(
        'pull_conflicts_unresolved',
        `Both you and your teammates changed ${open.length === 1 ? open[0] : `${open.length} files`} on the same lines.`,
        'Choose mine, theirs or an edited text for each conflict, then apply again.',
        { paths: open },
      );
    return merged
      .map((f): Merged => {
        const r = byPath.get(f.path);
        if (!r) return f;
        if (r.choice === 'mine') return { ...f, result: f.mine };
        if (r.choice === 'theirs') return { ...f, result: f.theirs };
        if (r.text === undefined)
          throw badRequest('pull_resolution_text', `The edited text of ${f.path} is missing.`);
        if (/^(<<<<<<< |>>>>>>> )/m.test(r.text))
          throw badRequest(
            'pull_resolution_markers',
            `The edited text of ${f.path} still holds conflict markers.`,
            'Remove the <<<<<<< / ======= / >>>>>>> lines, keeping the text you want.',
          );
        return {
          ...f,
          result: { data: Buffer.from(r.text, 'utf8'), mode: (f.mine ?? f.theirs)?.mode ?? 0o644 },
        };
      })
      .filter((f) => !same(f.result, f.mine));
  }

  /** Edges into new and changed nodes from the real asset dependencies, as import finds them. */
  private async edgesOf(
    project: ProjectFile,
    root: string,
    graph: Graph,
    touched: Set<string>,
  ): Promise<Graph> {
    if (touched.size === 0) return graph;
    const problems: Problem[] = [];
    const found = await this.importer
      .edgesFromAssets({ ...project, graph }, root, problems)
      .catch(() => null);
    if (!found || (found.edges.length === 0 && problems.length > 0)) {
      // Dagster could not load the merged code: the edges the designer had stay, the rest waits for a fix.
      const ids = new Set(graph.nodes.map((n) => n.id));
      const kept = project.graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
      const known = new Set(graph.edges.map((e) => e.id));
      return { ...graph, edges: [...graph.edges, ...kept.filter((e) => !known.has(e.id))] };
    }
    const pair = (e: { source: string; target: string }) => `${e.source}\u0000${e.target}`;
    const have = new Set(graph.edges.map(pair));
    const added = found.edges.filter((e) => touched.has(e.target) && !have.has(pair(e)));
    const nodes = graph.nodes.map((n) =>
      touched.has(n.id) && n.type === 'schedule' ? (found.nodes.find((f) => f.id === n.id) ?? n) : n,
    );
    return { ...graph, nodes, edges: [...graph.edges, ...added] };
  }
}
