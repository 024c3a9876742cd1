// Import of an existing Dagster project (a folder, an uploaded ZIP or a Git repository) into an empty
// designer project: its files become the workspace untouched, each defs folder with a defs.yaml becomes
// a node (a component per defs.yaml document, Python definitions per folder or module), and edges come from the
// real asset dependencies.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  layeredPositions,
  targetsFromSelection,
  type Graph,
  type Problem,
  type ProjectFile,
} from '@designer/shared';
import { AppError, badRequest, conflict } from '../errors.js';
import { copyTree, dropUnsafeEntries, isWithin } from '../lib/safe-path.js';
import type { DagsterCli } from './dagster-cli.js';
import { definitionOwner, nodesFromDefs } from './defs-nodes.js';
import { declaredTypes, importLoadWarning } from './import-warnings.js';
import type { GitPublisher } from './git/publisher.js';
import type { InspectorService } from './inspector.js';
import type { ProjectStore } from './project-store.js';
import type { SyncService } from './sync/service.js';
import { isHiddenPath } from './workspace-files.js';
import { PROJECT_FILE_NAME } from './zip-writer.js';

export type ImportSource =
  | { kind: 'folder'; path: string }
  | { kind: 'zip'; data: Buffer }
  | { kind: 'git'; remote: string; branch?: string; token?: string; username?: string };

export interface ImportResult {
  project: ProjectFile;
  problems: Problem[];
  source: 'designer-file' | 'defs-folders';
}

/** `[tool.dg.project] root_module = "…"` of a pyproject.toml (a project, not a workspace). */
export function dgProjectModule(pyproject: string): string | null {
  if (!/directory_type\s*=\s*"project"/.test(pyproject)) return null;
  const section = pyproject.split(/^\[tool\.dg\.project\]\s*$/m)[1];
  const match = section ? /^\s*root_module\s*=\s*"([^"]+)"/m.exec(section.split(/^\[/m)[0]!) : null;
  return match?.[1] ?? null;
}

export class Importer {
  constructor(
    private readonly cli: DagsterCli,
    private readonly git: GitPublisher,
    private readonly sync: SyncService,
    private readonly inspector: InspectorService,
    private readonly projects: ProjectStore,
  ) {}

  async import(
    projectId: string,
    source: ImportSource,
    report: (step: string) => void = () => undefined,
  ): Promise<ImportResult> {
    const project = await this.projects.read(projectId);
    if (project.graph.nodes.length > 0)
      throw conflict(
        'project_not_empty',
        'Import goes into a new, empty project; this one already has components.',
        'Create a new project and import there.',
      );
    const staging = path.join(this.projects.dir, '.staging', `import-${projectId}-${Date.now()}`);
    await fs.mkdir(staging, { recursive: true });
    try {
      // What was left out (links leading out of the project, pipes, devices) is said in the answer.
      report(
        source.kind === 'git'
          ? 'Cloning the repository'
          : source.kind === 'zip'
            ? 'Unpacking the ZIP'
            : 'Copying the folder',
      );
      const leftOut = await this.fetch(source, staging);
      const root = await findProjectRoot(staging);
      leftOut.push(...(await dropUnsafeEntries(root)));
      const pyproject = await fs.readFile(path.join(root, 'pyproject.toml'), 'utf8');
      const module = dgProjectModule(pyproject);
      if (!module || !/^[a-z][a-z0-9_]*$/.test(module)) {
        throw badRequest(
          'not_a_dagster_project',
          'This is not a Dagster project made with create-dagster (no `[tool.dg] directory_type = "project"` with a `root_module`).',
          "Import the folder that holds the project's pyproject.toml.",
        );
      }
      const designerFile = path.join(root, PROJECT_FILE_NAME);
      const fromDesigner = existsSync(designerFile)
        ? (parseDesignerFile(await fs.readFile(designerFile, 'utf8')) as Partial<ProjectFile>)
        : null;
      await fs.rm(designerFile, { force: true });

      // The imported files become the workspace, as they are; the old one is kept aside until they work.
      const workspace = this.projects.workspaceOf(projectId);
      const previous = path.join(staging, 'previous-workspace');
      const hadWorkspace = existsSync(workspace);
      if (hadWorkspace) await fs.rename(workspace, previous);
      await fs.rename(root, workspace);
      try {
        report('Installing its libraries (uv sync)');
        await this.cli.uvSync(workspace);
      } catch (error) {
        await fs.rm(workspace, { recursive: true, force: true });
        if (hadWorkspace) await fs.rename(previous, workspace);
        // The imported project's own dependencies do not resolve: the caller can fix that, so a 4xx.
        if (error instanceof AppError && error.statusCode >= 500)
          throw new AppError(
            422,
            'import_environment_failed',
            `The imported project's environment could not be made: ${error.message}`,
            'Check that its pyproject.toml dependencies resolve (`uv sync` in the folder), then import again.',
          );
        throw error;
      }

      const problems: Problem[] = leftOut.map((message) => ({
        severity: 'warning' as const,
        message,
        hint: 'Copy what it pointed at into the project if the project needs it.',
      }));
      report('Reading its components');
      let graph: Graph;
      if (fromDesigner?.graph && Array.isArray(fromDesigner.graph.nodes)) {
        graph = fromDesigner.graph;
      } else {
        graph = await this.graphFromDefs(workspace, module, problems);
      }
      let saved = await this.projects.replaceImported(projectId, {
        package_name: module,
        graph,
        env: fromDesigner?.env ?? project.env ?? [],
        description: fromDesigner?.description ?? project.description,
      });
      if (!fromDesigner?.graph) {
        report('Loading its definitions to find the dependencies');
        const { edges, nodes } = await this.edgesFromAssets(saved, workspace, problems);
        const positions = layeredPositions(
          saved.graph.nodes.map((n) => n.id),
          edges,
        );
        saved = await this.projects.replaceImported(projectId, {
          graph: {
            nodes: nodes.map((n) => ({ ...n, position: positions[n.id] ?? n.position })),
            edges,
          },
        });
      }
      report('Recording what the designer manages');
      await this.sync.adopt(saved, workspace);
      return { project: saved, problems, source: fromDesigner?.graph ? 'designer-file' : 'defs-folders' };
    } finally {
      await fs.rm(staging, { recursive: true, force: true });
    }
  }

  private async fetch(source: ImportSource, staging: string): Promise<string[]> {
    if (source.kind === 'folder') {
      if (!path.isAbsolute(source.path) || source.path.includes('\0'))
        throw badRequest('invalid_path', 'Give the absolute path of the project folder.');
      let real: string;
      try {
        real = await fs.realpath(source.path);
      } catch {
        throw badRequest('folder_not_found', `No folder at ${source.path}.`);
      }
      if (!(await fs.stat(real)).isDirectory())
        throw badRequest('not_a_folder', `${source.path} is not a folder.`);
      const dataDir = await fs.realpath(this.projects.dir);
      if (isWithin(dataDir, real))
        throw badRequest('invalid_path', "That folder belongs to the designer's own data.");
      if (isWithin(real, dataDir))
        throw badRequest(
          'invalid_path',
          `${source.path} contains the designer's own data folder, so importing it would copy every project into this one.`,
          "Import the folder that holds the project's pyproject.toml.",
        );
      // Look before copying: only a folder that holds a project (at its top or one level down) is read.
      const holdsProject =
        existsSync(path.join(real, 'pyproject.toml')) ||
        (await fs.readdir(real, { withFileTypes: true })).some(
          (e) => e.isDirectory() && existsSync(path.join(real, e.name, 'pyproject.toml')),
        );
      if (!holdsProject)
        throw badRequest(
          'not_a_dagster_project',
          `${source.path} holds no pyproject.toml.`,
          "Import the folder that holds the project's pyproject.toml.",
        );
      return copyTree(
        real,
        path.join(staging, 'project'),
        (rel) => !isHiddenPath(rel) && path.basename(rel) !== '.env',
      );
    }
    if (source.kind === 'zip') {
      const file = path.join(staging, 'upload.zip');
      await fs.writeFile(file, source.data);
      const result = await this.cli.unzip(file, path.join(staging, 'project'));
      await fs.rm(file, { force: true });
      if (result.exitCode === 2)
        throw badRequest('invalid_zip', result.stderr.trim() || 'The archive was refused.');
      if (result.exitCode !== 0)
        throw new AppError(
          422,
          'unzip_failed',
          `The archive could not be extracted: ${result.stderr.trim().split('\n').slice(-1)[0]}`,
        );
      return [];
    }
    await this.git.cloneInto(source, path.join(staging, 'project')).catch((error: unknown) => {
      // A repository that cannot be cloned is the caller's to fix (URL, branch, access): a 4xx with git's reason.
      if (error instanceof AppError && error.statusCode >= 500)
        throw new AppError(
          422,
          'git_import_failed',
          error.message,
          error.hint ?? 'Check the URL and the branch.',
        );
      throw error;
    });
    return [];
  }

  /** Nodes for everything defs/ holds: a component per defs.yaml document, Python definitions per folder or module. */
  private async graphFromDefs(workspace: string, module: string, problems: Problem[]): Promise<Graph> {
    const found = await nodesFromDefs(workspace, module);
    problems.push(...found.problems);
    return { nodes: found.nodes, edges: [] };
  }

  /**
   * Edges A → B wherever an asset of B depends on an asset of A, per the real definitions; and S → B where a schedule
   * node's selection names every key of B (as the designer writes it), which its selection then no longer names.
   */
  async edgesFromAssets(
    project: ProjectFile,
    workspace: string,
    problems: Problem[],
  ): Promise<{ edges: Graph['edges']; nodes: Graph['nodes'] }> {
    const inspection = await this.inspector.inspect(workspace);
    const ownerId = (a: (typeof inspection.assets)[number]) => definitionOwner(project.graph.nodes, a)?.id;
    const owner = new Map<string, string>();
    for (const a of inspection.assets) {
      const id = ownerId(a);
      if (id) owner.set(a.key, id);
    }
    const pairs = new Set<string>();
    for (const a of inspection.assets) {
      const target = owner.get(a.key);
      for (const dep of a.deps) {
        const source = owner.get(dep);
        if (source && target && source !== target) pairs.add(`${source}\u0000${target}`);
      }
    }
    const keysOf = keysByNode(owner);
    const nodes = project.graph.nodes.map((n) => {
      const selection = n.data.attributes.asset_selection;
      if (n.type !== 'schedule' || typeof selection !== 'string') return n;
      const { targets, rest } = targetsFromSelection(selection, keysOf);
      for (const target of targets) pairs.add(`${n.id}\u0000${target}`);
      const { asset_selection: _old, ...attributes } = n.data.attributes;
      return {
        ...n,
        data: { ...n.data, attributes: rest ? { ...attributes, asset_selection: rest } : attributes },
      };
    });
    // Dagster's load errors in the user's words; one that explains a file already warned about replaces that warning.
    const typeFiles = inspection.problems.length > 0 ? await defsYamlTypes(workspace) : new Map();
    for (const p of inspection.problems) {
      const warning = importLoadWarning(p, typeFiles);
      const same = problems.findIndex((q) => q.file !== undefined && q.file === warning.file);
      if (same >= 0) problems.splice(same, 1, warning);
      else problems.push(warning);
    }
    const edges = [...pairs].sort().map((pair) => {
      const [source, target] = pair.split('\u0000') as [string, string];
      return { id: `e_${source}__${target}`, source, target };
    });
    return { edges, nodes };
  }
}

/** Each node's asset keys, from the map of a key to its node. */
function keysByNode(owner: ReadonlyMap<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, id] of owner) out.set(id, [...(out.get(id) ?? []), key]);
  return out;
}

/** The component types each defs.yaml under src/ names (paths relative to the workspace), for import warnings. */
async function defsYamlTypes(workspace: string): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const entries = await fs.readdir(path.join(workspace, 'src'), { recursive: true }).catch(() => []);
  for (const rel of entries) {
    if (!/(^|\/)defs\.ya?ml$/.test(rel) || /(^|\/)\./.test(rel)) continue;
    const text = await fs.readFile(path.join(workspace, 'src', rel), 'utf8').catch(() => '');
    found.set(`src/${rel.split(path.sep).join('/')}`, declaredTypes(text));
  }
  return found;
}

/** The designer file of an exported project; a damaged one is a 400, not a crash. */
function parseDesignerFile(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(
      'invalid_designer_file',
      `${PROJECT_FILE_NAME} in the import is not valid JSON.`,
      'Delete it from the project to import its defs folders instead, or export the project again.',
    );
  }
}

/** The folder holding pyproject.toml: the top of the staging area, or the single folder inside it. */
async function findProjectRoot(staging: string): Promise<string> {
  const top = path.join(staging, 'project');
  if (existsSync(path.join(top, 'pyproject.toml'))) return top;
  const inner = (await fs.readdir(top, { withFileTypes: true })).filter(
    (e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== '__MACOSX',
  );
  if (inner.length === 1 && existsSync(path.join(top, inner[0]!.name, 'pyproject.toml')))
    return path.join(top, inner[0]!.name);
  throw badRequest(
    'not_a_dagster_project',
    'No pyproject.toml at the top of the import (or in its only folder).',
    "Import the folder that holds the project's pyproject.toml.",
  );
}
