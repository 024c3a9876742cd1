// Sync: writes the graph into the real Dagster project. Incremental (a node whose managed defs did not
// change is not touched), serialised per project, and every problem lands on the node that caused it.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  buildManagedDefs,
  buildScheduleDefs,
  declaredAssetKeys,
  nodeFiles,
  nodeLocation,
  ownerOf,
  pathProblem,
  referencedEnv,
  topologicalOrder,
  type GraphNode,
  type ManagedDefs,
  type Problem,
  type ProjectFile,
} from '@designer/shared';
import { AppError } from '../errors.js';
import { KeyedQueue, writeFileInside } from './atomic-file.js';
import { realPathInside, renameInside } from '../lib/safe-path.js';
import type { CatalogService } from './catalog.js';
import type { DagsterCli } from './dagster-cli.js';
import { writeDefsYaml } from './defs-yaml.js';
import { dbtEdgesAsTranslation, dbtProblems, missingDbtEnvProblems } from './dbt-project.js';
import { documentSlices, writeDefsYamlDocument } from './defs-yaml-documents.js';
import { removeDocuments, restoreDocuments } from './document-nodes.js';
import { definitionOwner } from './defs-nodes.js';
import { projectPathProblems } from './project-paths.js';
import { validateDefsYaml } from './defs-validation.js';
import type { InspectorService, RawProblem, ScriptRef } from './inspector.js';
import type { Toolchain } from './toolchain.js';
import { ensureScheduledJobComponent } from './schedule-defs.js';

export interface SyncState {
  /** `path`: where a node with `defined_at` lives (relative to defs/); its label then names no folder. */
  nodes: Record<
    string,
    {
      label: string;
      type: string;
      hash: string;
      path?: string;
      document?: number;
      files?: Record<string, string>;
    }
  >;
  /** Asset keys each node defined at the last inspection (for edges from nodes that do not declare keys). */
  assets: Record<string, string[]>;
  /** What each node's own data was (ownDataHash) when its keys were learned: learned keys of a changed node are stale. */
  assetsFrom?: Record<string, string>;
  validation?: Problem[];
}

export interface SyncResult {
  changed: string[];
  problems: Problem[];
  steps: string[];
  durationMs: number;
}

const EMPTY_STATE: SyncState = { nodes: {}, assets: {} };
const DG_CHECK_LINE = /^(.+?\.ya?ml):(\d+) - (\S+) (.*)$/;
/** dg's own line for a file it cannot parse: `<file>:<line> -  Unable to parse YAML: <what>`. */
const DG_YAML_LINE = /^(.+?\.ya?ml):(\d+) - +Unable to parse YAML: (?:None, )?(.*)$/;

/** Where the folder of a deleted node is kept (hidden from files, exports and pushes, like all of .designer). */
export const trashOf = (root: string, nodeId: string) =>
  path.join(root, '.designer', 'trash', nodeId.replace(/[^A-Za-z0-9_-]/g, '_'));

export function defsDirOf(root: string, packageName: string): string {
  return path.join(root, 'src', packageName, 'defs');
}

export async function readState(root: string): Promise<SyncState> {
  try {
    return {
      ...EMPTY_STATE,
      ...(JSON.parse(await fs.readFile(path.join(root, '.designer', 'state.json'), 'utf8')) as SyncState),
    };
  } catch {
    return structuredClone(EMPTY_STATE);
  }
}

async function writeState(root: string, state: SyncState): Promise<void> {
  await writeFileInside(
    root,
    path.join(root, '.designer', 'state.json'),
    `${JSON.stringify(state, null, 1)}\n`,
  );
}

/** Is a Python top-level module importable from the project's venv? (Looks in site-packages, no Python start.) */
export function isInstalled(root: string, module: string): boolean {
  const lib = path.join(root, '.venv', 'lib');
  if (!existsSync(lib)) return false;
  return readdirSync(lib).some((python) => existsSync(path.join(lib, python, 'site-packages', module)));
}

/**
 * `dg scaffold defs` writes neither a script for `dagster.PythonScriptComponent` nor a SQL file for
 * `dagster.TemplatedSqlComponent`: the designer writes a starter next to the defs.yaml when the node names a
 * file that does not exist yet. It never overwrites one.
 */
export async function writeStarterFiles(node: GraphNode, dir: string, root = dir): Promise<string[]> {
  const keys = ((node.data.attributes.assets as Array<{ key?: unknown }> | undefined) ?? [])
    .map((a) => (typeof a.key === 'string' ? a.key : null))
    .filter((k): k is string => k !== null);
  const written: string[] = [];
  for (const ref of nodeFiles(node)) {
    const file = path.join(dir, ref.path);
    if (existsSync(file)) continue;
    const text =
      node.data.component_type === 'dagster.PythonScriptComponent' && ref.language === 'python'
        ? starterScript(node.data.label, keys)
        : node.data.component_type === 'dagster.TemplatedSqlComponent' && ref.language === 'sql'
          ? starterSql(node.data.label, keys)
          : null;
    if (text === null) continue;
    await writeFileInside(root, file, text);
    written.push(file);
  }
  return written;
}

function starterScript(label: string, keys: string[]): string {
  const report =
    keys.length > 1
      ? keys.map(
          (k) =>
            `    context.report_asset_materialization(asset_key=${JSON.stringify(k)}, metadata={"rows": 0})`,
        )
      : ['    context.report_asset_materialization(metadata={"rows": 0})'];
  return [
    `"""${label}: materializes ${keys.length ? keys.join(', ') : 'its assets'}.`,
    '',
    'Dagster runs this script in a subprocess (Dagster Pipes): log through `context`, report what you wrote.',
    '"""',
    '',
    'from dagster_pipes import open_dagster_pipes',
    '',
    'with open_dagster_pipes() as context:',
    `    context.log.info("Running ${label}")`,
    '    # Your code here: extract, transform, load.',
    ...report,
    '',
  ].join('\n');
}

function starterSql(label: string, keys: string[]): string {
  const table = (keys[0] ?? label)
    .split('/')
    .pop()!
    .replace(/[^A-Za-z0-9_]/g, '_');
  return [
    `-- ${label}: the SQL Dagster runs to materialize ${keys.length ? keys.join(', ') : 'its assets'}.`,
    "-- It runs on the component's connection; {{ name }} is replaced from template_vars (Jinja).",
    `create or replace table ${table} as`,
    'select 1 as id',
    '',
  ].join('\n');
}

/**
 * A node's own data, which decides its asset keys (a dbt translation's key prefix, its project path…), not its
 * upstream: keys learned from a loaded project are stale once it changes.
 */
export const ownDataHash = (node: GraphNode) => {
  const { label, component_type, attributes, translation, post_processing, defined_at } = node.data;
  const own = { label, component_type, attributes, translation, post_processing, defined_at };
  return createHash('sha256').update(JSON.stringify(own)).digest('hex').slice(0, 16);
};

/** The files a node points at, by attribute field: what sync remembers so a renamed file can follow. */
const filesOf = (node: GraphNode) => Object.fromEntries(nodeFiles(node).map((f) => [f.field, f.path]));

/** Where sync remembers a node with `defined_at` lives: its file or folder, and its document in a shared file. */
const located = (node: GraphNode) => {
  const { path: where, document } = nodeLocation(node);
  return document === undefined ? { path: where } : { path: where, document };
};

/**
 * A file a node points at whose name changed in its attributes (the default `<label>.py` following a node
 * rename): the file moves too, inside the node's folder, when the old one is there and the new name is free.
 * Never overwrites, never follows a link out of the project. Answers the files moved (new paths).
 */
export async function followFileRenames(
  previous: Record<string, string> | undefined,
  node: GraphNode,
  dir: string,
  root: string,
): Promise<string[]> {
  const moved: string[] = [];
  for (const ref of nodeFiles(node)) {
    const old = previous?.[ref.field];
    if (!old || old === ref.path || pathProblem(old) !== null) continue;
    const from = path.join(dir, old);
    const to = path.join(dir, ref.path);
    const source = await fs.lstat(from).catch(() => null);
    if (!source?.isFile() || existsSync(to)) continue;
    await renameInside(root, from, to);
    moved.push(to);
  }
  return moved;
}

/** A referenced env var set neither in the workspace's .env nor in the server's environment: a problem on each user. */
export function missingEnvProblems(
  project: ProjectFile,
  values: Record<string, string>,
  serverEnv: NodeJS.ProcessEnv = process.env,
): Problem[] {
  const labels = new Map(project.graph.nodes.map((n) => [n.id, n.data.label]));
  return referencedEnv(project)
    .filter((v) => v.required && values[v.name] === undefined && serverEnv[v.name] === undefined)
    .flatMap((v) =>
      v.usedBy.map((nodeId) => ({
        severity: 'error' as const,
        nodeId,
        message: `${labels.get(nodeId)}: the environment variable ${v.name} is not set.`,
        hint: `Set ${v.name} in the Environment panel (its value stays in the workspace's .env, never exported).`,
      })),
    );
}

/** The files nodes point at (scripts, SQL templates), relative to the workspace, for the inspector to check. */
export function scriptRefs(project: ProjectFile, root: string): ScriptRef[] {
  const defsRelative = path.relative(root, defsDirOf(root, project.package_name));
  return project.graph.nodes.flatMap((node) =>
    nodeFiles(node).map((f) => ({
      folder: node.data.label,
      path: path.posix.join(defsRelative.split(path.sep).join('/'), nodeLocation(node).folder, f.path),
      field: f.field,
    })),
  );
}

/** The document ranges of a defs.yaml, or null when it does not parse (its validation reports that). */
function safeSlices(text: string) {
  try {
    return documentSlices(text);
  } catch {
    return null;
  }
}

/** Nodes by their label and by the top defs/ folder (or module) their files are in, for locating problems. */
export function nodesByFolder(nodes: readonly GraphNode[]): Map<string, GraphNode> {
  const map = new Map(nodes.map((n) => [n.data.label, n]));
  for (const n of nodes) {
    const top = nodeLocation(n).folder.split('/')[0] || nodeLocation(n).path;
    if (!map.has(top)) map.set(top, n);
  }
  return map;
}

/** Turns a problem reported against a file or folder into one on the node that owns that folder. */
export function attachToNode(
  problem: RawProblem,
  nodeByFolder: Map<string, GraphNode>,
  defsRelative: string,
): Problem {
  const folder =
    problem.folder ?? (problem.file ? /(?:^|\/)defs\/([^/]+)\//.exec(problem.file)?.[1] : undefined);
  // A file under defs/ belongs to the node that defines it (a Python module, one of several components).
  const inDefs = problem.file?.startsWith(`${defsRelative}/`)
    ? problem.file.slice(defsRelative.length + 1)
    : null;
  const node =
    (problem.folder ? nodeByFolder.get(problem.folder) : undefined) ??
    (inDefs ? ownerOf([...new Set(nodeByFolder.values())], { path: inDefs }) : undefined) ??
    (folder ? nodeByFolder.get(folder) : undefined);
  const out: Problem = {
    severity: problem.severity,
    message: node ? `${node.data.label}: ${problem.message}` : problem.message,
  };
  if (node) out.nodeId = node.id;
  out.file = problem.file ?? (folder ? `${defsRelative}/${folder}/defs.yaml` : undefined);
  if (out.file === undefined) delete out.file;
  if (problem.line) out.line = problem.line;
  if (problem.field) out.field = problem.field;
  const hint = hintFor(problem);
  if (hint) out.hint = hint;
  return out;
}

function hintFor(problem: RawProblem): string | undefined {
  if (problem.missing_module) {
    const lib = problem.missing_module.split('.')[0]!;
    return lib.startsWith('dagster_')
      ? `Add the library: uv add ${lib.replace(/_/g, '-')} (the designer does this for pinned libraries).`
      : `Python cannot import "${problem.missing_module}": add it to the project (uv add …) or fix the import.`;
  }
  const m = problem.message;
  if (/Field required|is a required property/.test(m))
    return 'Fill the required field in the Attributes form.';
  if (/Additional properties are not allowed/.test(m))
    return 'Remove the unknown field (check its spelling against the form).';
  if (/env var|environment variable/i.test(m))
    return 'Set the environment variable before previewing or running.';
  if (/dbt_project\.yml|dbt parse|DbtProject/i.test(m))
    return 'Check the dbt project path and that `dbt parse` succeeds in it.';
  if (/YAML|yaml/.test(m) && /pars|scan/i.test(m)) return 'Fix the YAML syntax at the given line.';
  return undefined;
}

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
   * Takes files that already exist (an import) as the designer's own: records each node's current
   * managed defs, so a sync with no change writes nothing and the imported files stay byte for byte.
   */
  async adopt(project: ProjectFile, root: string): Promise<void> {
    await this.queue.run(project.id, async () => {
      const state = structuredClone(EMPTY_STATE);
      await this.learnAssetKeys(project, root, state).catch(() => undefined);
      const { plan } = await this.planner(project, root, state);
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

  /**
   * How each node's managed defs are computed (with its upstream nodes' asset keys), the same for a sync
   * and for adopting imported files. `keysOf` is null for an upstream whose keys are not known yet.
   */
  private async planner(project: ProjectFile, root: string, state: SyncState) {
    const byId = new Map(project.graph.nodes.map((n) => [n.id, n]));
    // An edge out of a schedule names what it runs, never a dependency: a schedule's "upstream" are its targets.
    const isSchedule = (id: string) => byId.get(id)?.type === 'schedule';
    const upstreamOf = (id: string) =>
      isSchedule(id)
        ? project.graph.edges.filter((e) => e.source === id).map((e) => e.target)
        : project.graph.edges.filter((e) => e.target === id && !isSchedule(e.source)).map((e) => e.source);
    const keysOf = (id: string): string[] | null => {
      const node = byId.get(id);
      if (!node) return null;
      // Keys learned before the node changed (a dbt translation's key prefix…) are unknown: sync inspects again.
      const learned = state.assetsFrom?.[id] === ownDataHash(node) ? state.assets[id] : undefined;
      return declaredAssetKeys(node) ?? learned ?? null;
    };
    const { entries } = await this.catalog
      .list(root)
      .catch(() => ({ entries: [] as Array<{ type: string; schema: Record<string, unknown> }> }));
    const hasTranslation = (type: string) =>
      Boolean(
        (entries.find((e) => e.type === type)?.schema as { properties?: Record<string, unknown> } | undefined)
          ?.properties?.translation,
      );
    const plan = (node: GraphNode) => {
      const upstreamKeys = [...new Set(upstreamOf(node.id).flatMap((u) => keysOf(u) ?? []))];
      const built =
        node.type === 'schedule'
          ? buildScheduleDefs(node, upstreamKeys)
          : buildManagedDefs(node, upstreamKeys, {
              hasTranslationAttribute: hasTranslation(node.data.component_type),
            });
      // dbt takes its edges through translation, so the run plan orders them (see dbtEdgesAsTranslation).
      const { problems } = built;
      const defs = dbtEdgesAsTranslation(built.defs);
      return {
        defs,
        problems,
        hash: createHash('sha256').update(JSON.stringify(defs)).digest('hex').slice(0, 16),
      };
    };
    return { upstreamOf, keysOf, plan, entries };
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
    const steps: string[] = [];
    const changed: string[] = [];
    const problems: Problem[] = [];
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
    const nodes = project.graph.nodes;
    const byId = new Map(nodes.map((n) => [n.id, n]));

    await this.installLibraries(project, root, steps, problems);
    if (nodes.some((n) => n.type === 'schedule')) {
      const added = await ensureScheduledJobComponent(root, project.package_name);
      if (added.length > 0) {
        steps.push('add the ScheduledJobComponent to the project');
        changed.push(...added);
        this.catalog.invalidate(root);
      }
    }

    // Deleted and renamed nodes: only folders this designer created are touched.
    const deletedDocuments: string[] = [];
    for (const [id, known] of Object.entries(state.nodes)) {
      const node = byId.get(id);
      const oldDir = path.join(defsDir, known.label);
      if (known.path !== undefined) {
        // A node with defined_at: its label names no folder; its files are never moved by a rename.
        if (node) state.nodes[id] = { ...known, label: node.data.label };
        else if (known.document !== undefined && known.hash !== '') deletedDocuments.push(id);
        else {
          await this.putAsideLocated(root, defsDir, id, known, changed, problems);
          delete state.nodes[id];
          delete state.assets[id];
        }
        continue;
      }
      if (!node) {
        if (existsSync(path.join(oldDir, 'defs.yaml'))) {
          // Kept aside, not deleted: the folder may hold the user's scripts, and an undo brings the node back.
          const trash = trashOf(root, id);
          await fs.rm(await realPathInside(root, trash), { recursive: true, force: true });
          await renameInside(root, oldDir, trash);
          changed.push(`${defsRelative}/${known.label}/`);
        }
        delete state.nodes[id];
        delete state.assets[id];
      } else if (node.data.label !== known.label && existsSync(oldDir)) {
        const newDir = path.join(defsDir, node.data.label);
        if (existsSync(newDir)) {
          problems.push({
            severity: 'error',
            nodeId: id,
            message: `${node.data.label}: cannot rename ${known.label}/ because ${node.data.label}/ already exists in the defs folder.`,
            hint: 'Pick another name or move that folder away.',
          });
          continue;
        }
        await renameInside(root, oldDir, newDir);
        changed.push(`${defsRelative}/${known.label}/ → ${node.data.label}/`);
        state.nodes[id] = { ...known, label: node.data.label };
      }
    }
    // Deleted documents of a shared defs.yaml leave it (the others keep their bytes), and come back on undo.
    const removed = await removeDocuments(root, defsDir, state.nodes, deletedDocuments, nodes, (id) =>
      trashOf(root, id),
    );
    changed.push(...removed.changed);
    problems.push(...removed.problems);
    for (const id of deletedDocuments) delete state.assets[id];

    const order =
      topologicalOrder(
        nodes.map((n) => n.id),
        project.graph.edges,
      ) ?? nodes.map((n) => n.id);
    const { upstreamOf, keysOf, plan, entries } = await this.planner(project, root, state);
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

    const writeNode = async (node: GraphNode): Promise<boolean> => {
      if (node.type === 'python') {
        // Plain Python is the user's code: the designer never writes it (edges into it are explained, below).
        // A deleted Python node that came back (undo) gets its files back from where they were put aside.
        const where = path.join(defsDir, nodeLocation(node).path);
        const aside = path.join(trashOf(root, node.id), path.basename(where));
        if (!existsSync(where) && existsSync(aside)) {
          await renameInside(root, aside, where);
          changed.push(path.relative(root, where));
        }
        state.nodes[node.id] = {
          label: node.data.label,
          type: node.data.component_type,
          hash: '',
          path: nodeLocation(node).path,
        };
        return false;
      }
      if (node.data.defined_at)
        return this.writeLocated(node, plan(node), root, defsDir, state, changed, problems);
      const { defs, problems: mapping, hash } = plan(node);
      problems.push(...mapping);
      const dir = path.join(defsDir, node.data.label);
      const file = path.join(dir, 'defs.yaml');
      const known = state.nodes[node.id];
      if (
        known &&
        known.hash === hash &&
        known.label === node.data.label &&
        known.type === node.data.component_type &&
        existsSync(file)
      )
        return false;
      await realPathInside(root, dir); // a node folder that is a link out of the project is never written through
      const trash = trashOf(root, node.id);
      if (!existsSync(dir) && existsSync(path.join(trash, 'defs.yaml'))) {
        // A deleted node that came back (undo, paste of the same node): its folder, scripts included, returns.
        await renameInside(root, trash, dir);
        steps.push(`restore ${node.data.label}/ as it was when the node was deleted`);
        changed.push(`${defsRelative}/${node.data.label}/`);
      }
      if (!existsSync(file)) {
        steps.push(`dg scaffold defs ${node.data.component_type} ${node.data.label}`);
        const result = await this.cli.scaffoldDefs(root, node.data.component_type, node.data.label);
        if (result.exitCode !== 0) {
          problems.push({
            severity: 'error',
            nodeId: node.id,
            message: `${node.data.label}: dg scaffold defs failed: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')}`,
            hint: 'Check that the component library is installed in the project.',
          });
          return false;
        }
      }
      const before = await fs.readFile(file, 'utf8');
      let after: string;
      try {
        after = writeDefsYaml(before, defs);
      } catch (error) {
        problems.push({
          severity: 'error',
          nodeId: node.id,
          file: path.relative(root, file),
          message: `${node.data.label}: ${(error as Error).message}`,
          hint: (error as AppError).hint,
          ...(((error as AppError).details as { line?: number } | undefined)?.line
            ? { line: ((error as AppError).details as { line: number }).line }
            : {}),
        });
        return false;
      }
      if (after !== before) {
        await writeFileInside(root, file, after);
        changed.push(path.relative(root, file));
      }
      for (const moved of await followFileRenames(known?.files, node, dir, root))
        changed.push(path.relative(root, moved));
      for (const starter of await writeStarterFiles(node, dir, root))
        changed.push(path.relative(root, starter));
      state.nodes[node.id] = {
        label: node.data.label,
        type: node.data.component_type,
        hash,
        files: filesOf(node),
      };
      return true;
    };

    for (const id of order) await writeNode(byId.get(id)!);

    // Edges from nodes whose keys are only known by loading Dagster: inspect once, then write again.
    const unknown = nodes.filter((n) => upstreamOf(n.id).some((u) => keysOf(u) === null));
    if (unknown.length > 0) {
      steps.push('inspect definitions for upstream asset keys');
      await this.learnAssetKeys(project, root, state);
      for (const id of order) {
        const node = byId.get(id)!;
        if (unknown.includes(node)) await writeNode(node);
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

    if (checkWithDg || changed.length > 0 || state.validation === undefined) {
      steps.push('validate defs.yaml against the component schemas');
      const ours = await this.validateAll(project, root, entries);
      let theirs: Problem[] = [];
      if (checkWithDg) {
        steps.push('dg check yaml');
        theirs = await this.checkYaml(project, root);
      }
      const located = new Set(ours.map((p) => `${p.file}:${p.line}`));
      state.validation = [...ours, ...theirs.filter((p) => !located.has(`${p.file}:${p.line}`))];
    }
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

  /** Adds the pinned library of every component type the graph uses that the project lacks. */
  private async installLibraries(
    project: ProjectFile,
    root: string,
    steps: string[],
    problems: Problem[],
  ): Promise<void> {
    const modules = new Set(project.graph.nodes.map((n) => n.data.component_type.split('.')[0]!));
    const requirements: string[] = [];
    for (const module of modules) {
      if (module === 'dagster' || module === project.package_name || isInstalled(root, module)) continue;
      const pinned = this.toolchain.requirementsFor(module);
      if (pinned) requirements.push(...pinned);
      else {
        for (const node of project.graph.nodes.filter((n) =>
          n.data.component_type.startsWith(`${module}.`),
        )) {
          problems.push({
            severity: 'error',
            nodeId: node.id,
            message: `${node.data.label}: the library "${module}" is not installed in this project.`,
            hint: `Add it with \`uv add ${module.replace(/_/g, '-')}\` in ${root}.`,
          });
        }
      }
    }
    if (requirements.length === 0) return;
    steps.push(`uv add ${requirements.join(' ')}`);
    await this.cli.uvAdd(root, requirements);
    this.catalog.invalidate(root);
    this.inspector.stop(root);
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

  /**
   * A node with `defined_at` (one document of a shared defs.yaml, or a defs.yaml deeper in defs/): only its own
   * document is rewritten, the others keep their bytes; its file is never scaffolded (it exists, or it is gone).
   */
  private async writeLocated(
    node: GraphNode,
    planned: { defs: ManagedDefs; problems: Problem[]; hash: string },
    root: string,
    defsDir: string,
    state: SyncState,
    changed: string[],
    problems: Problem[],
  ): Promise<boolean> {
    problems.push(...planned.problems);
    const location = nodeLocation(node);
    const file = path.join(defsDir, location.path);
    const known = state.nodes[node.id];
    const relative = path.relative(root, file);
    if (known?.document !== undefined && known.document !== location.document) {
      // Written at the index the graph names, it would overwrite another component's document.
      problems.push({
        severity: 'error',
        nodeId: node.id,
        file: relative,
        message: `${node.data.label}: the graph says it is document ${location.document! + 1} of ${relative}, but it is document ${known.document + 1} since a document before it was deleted.`,
        hint: 'Renumber defined_at.document of the nodes that share the file (the canvas does this when it deletes a node), or reload the project.',
      });
      return false;
    }
    if (known?.hash === planned.hash && known.type === node.data.component_type && existsSync(file))
      return false;
    if (!existsSync(file)) {
      problems.push({
        severity: 'error',
        nodeId: node.id,
        file: relative,
        message: `${node.data.label}: ${relative} is gone, so this component cannot be written.`,
        hint: 'Restore the file, or delete the node and add the component again.',
      });
      return false;
    }
    const before = await fs.readFile(file, 'utf8');
    let after: string;
    try {
      after =
        location.document === undefined
          ? writeDefsYaml(before, planned.defs)
          : writeDefsYamlDocument(before, location.document, planned.defs);
    } catch (error) {
      const line = ((error as AppError).details as { line?: number } | undefined)?.line;
      problems.push({
        severity: 'error',
        nodeId: node.id,
        file: relative,
        message: `${node.data.label}: ${(error as Error).message}`,
        hint: (error as AppError).hint,
        ...(line ? { line } : {}),
      });
      return false;
    }
    if (after !== before) {
      await writeFileInside(root, file, after);
      changed.push(relative);
    }
    // A script named after the old label follows a rename, inside the document's folder (as for any node).
    const folder = path.join(defsDir, location.folder);
    for (const moved of await followFileRenames(known?.files, node, folder, root))
      changed.push(path.relative(root, moved));
    for (const starter of await writeStarterFiles(node, folder, root))
      changed.push(path.relative(root, starter));
    state.nodes[node.id] = {
      label: node.data.label,
      type: node.data.component_type,
      hash: planned.hash,
      ...located(node),
      files: filesOf(node),
    };
    return true;
  }

  /**
   * A deleted node with `defined_at`: Python definitions go aside like a component folder (an undo brings them
   * back); a document sync knows no index of (a state.json written before it kept them) stays, which is said.
   */
  private async putAsideLocated(
    root: string,
    defsDir: string,
    id: string,
    known: SyncState['nodes'][string],
    changed: string[],
    problems: Problem[],
  ): Promise<void> {
    const where = path.join(defsDir, known.path!);
    if (!existsSync(where)) return;
    if (known.hash === '') {
      const trash = trashOf(root, id);
      await fs.rm(await realPathInside(root, trash), { recursive: true, force: true });
      await renameInside(root, where, path.join(trash, path.basename(where)));
      changed.push(path.relative(root, where));
      return;
    }
    problems.push({
      severity: 'warning',
      file: path.relative(root, where),
      message: `${known.label} was removed from the canvas, but ${path.relative(root, where)} still defines it, so Dagster still loads it.`,
      hint: 'Remove its YAML document from the file in the Files tab (the other documents are not touched).',
    });
  }

  /** Every node's defs.yaml against its component's schema, each issue on its node with the line. */
  private async validateAll(
    project: ProjectFile,
    root: string,
    entries: Array<{ type: string; schema: Record<string, unknown> }>,
  ): Promise<Problem[]> {
    const problems: Problem[] = [];
    const defsDir = defsDirOf(root, project.package_name);
    for (const node of project.graph.nodes) {
      const schema = entries.find((e) => e.type === node.data.component_type)?.schema;
      const location = nodeLocation(node);
      const file = path.join(defsDir, location.path);
      if (!schema || node.type === 'python' || !existsSync(file)) continue;
      // One document of a shared file is validated on its own, its lines counted from the top of the file.
      let text = await fs.readFile(file, 'utf8');
      let firstLine = 1;
      if (location.document !== undefined) {
        const slice = safeSlices(text)?.[location.document];
        if (!slice) continue;
        text = slice.text;
        firstLine = slice.line;
      }
      for (const issue of validateDefsYaml(text, schema)) {
        const raw: RawProblem = {
          severity: 'error',
          message: `${issue.path} ${issue.message}`.trim(),
          folder: node.data.label,
          file: path.relative(root, file),
          line: issue.line + firstLine - 1,
        };
        if (issue.path.startsWith('attributes.')) raw.field = issue.path.slice('attributes.'.length);
        problems.push(attachToNode(raw, new Map([[node.data.label, node]]), path.relative(root, defsDir)));
      }
    }
    return problems;
  }

  /** `dg check yaml`, each message turned into a Problem on its node. */
  private async checkYaml(project: ProjectFile, root: string): Promise<Problem[]> {
    const result = await this.cli.checkYaml(root);
    return result.exitCode === 0
      ? []
      : dgProblems(`${result.stdout}\n${result.stderr}`, project, root, 'dg check yaml');
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

const TRACEBACK_FRAME = /File "([^"]+)", line (\d+)/g;

/** Turns the output of a failed `dg check …` into Problems: `file:line - type message` lines, else the error itself. */
export function dgProblems(output: string, project: ProjectFile, root: string, command: string): Problem[] {
  const nodeByFolder = nodesByFolder(project.graph.nodes);
  const defsRelative = path.relative(root, defsDirOf(root, project.package_name));
  const problems: Problem[] = [];
  for (const line of output.split('\n')) {
    const y = DG_YAML_LINE.exec(line.trim());
    const m = y ? [y[0], y[1], y[2], '', `YAML syntax error: ${y[3]}`] : DG_CHECK_LINE.exec(line.trim());
    if (!m) continue;
    const file = path.isAbsolute(m[1]!) ? path.relative(root, m[1]!) : m[1]!;
    problems.push(
      attachToNode(
        { severity: 'error', message: m[4]!, file, line: Number(m[2]) },
        nodeByFolder,
        defsRelative,
      ),
    );
  }
  if (problems.length === 0)
    problems.push(loadErrorProblem(output, root, command, nodeByFolder, defsRelative));
  return problems;
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
const ANSI = /\u001b\[[0-9;]*m/g;
const YAML_AT = /at (\S+\.ya?ml):(\d+)/;
/** PyYAML's errors: `yaml.parser.ParserError: <what>` then marks `in "<file>", line N, column M:`. */
const PYYAML_ERROR = /^yaml\.(?:\w+\.)*\w+Error: ([\s\S]*)$/m;
const PYYAML_MARK = /in "([^"]+\.ya?ml)", line (\d+), column \d+/;

/** A failed load: Dagster's root cause ("The above exception was caused by…"), located at its defs.yaml line. */
function loadErrorProblem(
  raw: string,
  root: string,
  command: string,
  nodeByFolder: Map<string, GraphNode>,
  defsRelative: string,
): Problem {
  const output = raw.replace(ANSI, '');
  const blocks = output.split('The above exception was caused by the following exception:');
  const cause = blocks[blocks.length - 1]!.split('Stack Trace:')[0]!.trim();
  const headline = blocks[0]!
    .split('\n')
    .find((l) => /Error|Exception/.test(l) && !/ - dagster - ERROR/.test(l))
    ?.trim();
  const message = (
    cause && blocks.length > 1 ? cause : (headline ?? output.trim().split('\n').slice(-3).join(' '))
  )
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.includes('errors.pydantic.dev'))
    .slice(0, 4)
    .join(' ')
    .replace(/\s+/g, ' ');
  const yamlError = PYYAML_ERROR.exec(output);
  const mark = yamlError && PYYAML_MARK.exec(yamlError[1]!);
  if (yamlError && mark) {
    // A YAML syntax error: its words (not the traceback line that raised it), at the file and line it began.
    const words = yamlError[1]!.split('\n').filter((l) => l.trim() !== '' && !/^\s/.test(l));
    const file = path.isAbsolute(mark[1]!) ? path.relative(root, mark[1]!) : mark[1]!;
    const raw = { severity: 'error' as const, file, line: Number(mark[2]) };
    return attachToNode(
      { ...raw, message: `${command}: YAML syntax error: ${words.join('; ')}` },
      nodeByFolder,
      defsRelative,
    );
  }
  const problem: RawProblem = { severity: 'error', message: `${command}: ${message}` };
  const at = YAML_AT.exec(output);
  if (at) {
    problem.file = path.isAbsolute(at[1]!) ? path.relative(root, at[1]!) : at[1]!;
    problem.line = Number(at[2]);
  } else {
    const folder = /loading component ([a-z][a-z0-9_]*)/.exec(output)?.[1];
    if (folder && nodeByFolder.has(folder)) problem.folder = folder;
    else {
      const frames = [...output.matchAll(TRACEBACK_FRAME)].filter(
        (f) => f[1]!.startsWith(root) && !f[1]!.includes(`${path.sep}.venv${path.sep}`),
      );
      const last = frames[frames.length - 1];
      if (last) {
        problem.file = path.relative(root, last[1]!);
        problem.line = Number(last[2]);
      }
    }
  }
  return attachToNode(problem, nodeByFolder, defsRelative);
}
