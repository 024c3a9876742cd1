// Project files (`<dataDir>/<uuid>.json`): validated, versioned, written atomically, saves serialised.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import {
  CURRENT_FORMAT_VERSION,
  ProjectFile,
  toPackageName,
  UUID_PATTERN,
  validateGraph,
  type ProjectSummary,
  type SaveProjectBody,
} from '@designer/shared';
import { AppError, badRequest, conflict, notFound } from '../errors.js';
import { processAlive } from '../lib/process-alive.js';
import { stringifyReusingBytes } from '../lib/json-stringify-reuse.js';
import { isTempFile, KeyedQueue, sweepTempFiles, writeFileAtomic } from './atomic-file.js';
import { checkProjectFile, parseProjectFile } from './project-parse.js';

export class ProjectStore {
  private queue = new KeyedQueue();
  /**
   * Parsed files by id, trusted while the file's mtime and size are unchanged (treat as immutable); `json`:
   * the file's bytes once written, or the project as JSON once asked for (`jsonOf`).
   */
  private cache = new Map<string, { mtimeMs: number; size: number; project: ProjectFile; json?: Buffer }>();
  /** Project history (services/history/): told of every write, off the save's path; removed with the project. */
  history?: { recorded(project: ProjectFile): void; remove(id: string): Promise<void> };

  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    // What a crash (or kill -9) left half-done: temp files of atomic writes, and staging folders of workspace
    // creations and imports. Nothing of this process runs yet; another live designer on the same data folder
    // (its pid in SERVER_PID_FILE) may be mid-write, so then nothing is swept (listings hide temp files anyway).
    const pidFile = path.join(this.dir, SERVER_PID_FILE);
    const other = Number((await fs.readFile(pidFile, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(other) && other > 0 && other !== process.pid && processAlive(other)) return;
    await writeFileAtomic(pidFile, `${process.pid}\n`);
    await fs.rm(path.join(this.dir, '.staging'), { recursive: true, force: true });
    await sweepTempFiles(this.dir);
  }

  /** The file of a project id; the id must be a UUID, so it can never name anything else. */
  fileOf(id: string): string {
    assertProjectId(id);
    return path.join(this.dir, `${id}.json`);
  }

  workspaceOf(id: string): string {
    assertProjectId(id);
    return path.join(this.dir, id);
  }

  async list(): Promise<ProjectSummary[]> {
    const entries = await fs.readdir(this.dir);
    const ids = entries
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .filter((id) => UUID_PATTERN.test(id));
    const summaries = await Promise.all(
      ids.map(async (id): Promise<ProjectSummary> => {
        try {
          const p = await this.read(id);
          return {
            id,
            name: p.name,
            description: p.description,
            package_name: p.package_name,
            version: p.version,
            nodeCount: p.graph.nodes.length,
            updated_at: p.updated_at,
          };
        } catch (error) {
          if (error instanceof AppError && error.code === 'project_not_found')
            return { id, error: { code: 'deleted', message: 'deleted' } };
          const e = error instanceof AppError ? error : new AppError(500, 'unreadable', String(error));
          return { id, error: { code: e.code, message: e.message } };
        }
      }),
    );
    return summaries
      .filter((s) => s.error?.code !== 'deleted')
      .sort((a, b) => (b.updated_at ?? '').localeCompare(a.updated_at ?? '') || a.id.localeCompare(b.id));
  }

  async read(id: string): Promise<ProjectFile> {
    const file = this.fileOf(id);
    let text: string;
    let stat: import('node:fs').Stats;
    try {
      stat = await fs.stat(file);
      const hit = this.cache.get(id);
      if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.project;
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.cache.delete(id);
        throw notFound('project_not_found', `No project with id ${id}.`);
      }
      throw error;
    }
    const project = parseProjectFile(text, id);
    this.cache.set(id, { mtimeMs: stat.mtimeMs, size: stat.size, project });
    return project;
  }

  /**
   * `project` (a value `read` returned) as JSON: the bytes its save wrote, so reading a project back does not
   * serialise 1,000 nodes again (the response serialiser allocated ~2.4 MB per read of a 370 KiB project, and the
   * collections that garbage caused were the slowest saves). The format names every field (closed objects,
   * cleaned on read), so they hold exactly what the response schema would write, in the file's key order.
   */
  jsonOf(project: ProjectFile): Buffer {
    const hit = this.cache.get(project.id);
    if (hit?.project !== project) return Buffer.from(JSON.stringify(project));
    hit.json ??= Buffer.from(JSON.stringify(project));
    return hit.json;
  }

  /** A new project; a template gives it a graph and env declarations to start with. */
  async create(input: {
    name: string;
    description?: string;
    graph?: ProjectFile['graph'];
    env?: ProjectFile['env'];
  }): Promise<ProjectFile> {
    const now = new Date().toISOString();
    const project: ProjectFile = {
      formatVersion: CURRENT_FORMAT_VERSION,
      id: randomUUID(),
      name: input.name.trim(),
      package_name: toPackageName(input.name),
      ...(input.description ? { description: input.description } : {}),
      version: 1,
      graph: input.graph ?? { nodes: [], edges: [] },
      created_at: now,
      updated_at: now,
      git_branch: 'main',
      env: input.env ?? [],
    };
    if (project.name === '') throw badRequest('invalid_name', 'The project name must not be blank.');
    await this.write(project);
    return project;
  }

  /**
   * Saves a new state of the project; refused with 409 when `body.version` is not the current one. `validated`:
   * the body passed the route's SaveProjectBody schema (the project is then not checked again before writing).
   */
  save(id: string, body: SaveProjectBody, validated = false): Promise<ProjectFile> {
    return this.queue.run(id, async () => {
      const current = await this.read(id);
      if (body.version !== current.version) {
        throw conflict(
          'stale_version',
          `This project was saved elsewhere (version ${current.version}; you edited version ${body.version}).`,
          'Reload to get the latest version, or overwrite it with yours.',
          { currentVersion: current.version },
        );
      }
      for (const field of ['id', 'package_name', 'formatVersion'] as const) {
        if (body[field] !== undefined && body[field] !== current[field]) {
          throw badRequest(
            'read_only_field',
            `"${field}" cannot be changed by a save (it is ${JSON.stringify(current[field])}; the body says ${JSON.stringify(body[field])}).`,
            field === 'package_name'
              ? 'The Python package name is fixed when the project is created; leave the field out or send it unchanged.'
              : 'Leave the field out or send it as GET answers it.',
          );
        }
      }
      const issues = validateGraph(body.graph);
      if (issues.length > 0) {
        throw badRequest('invalid_graph', issues[0]!.message, 'Fix the graph and save again.', { issues });
      }
      const name = body.name?.trim() ?? current.name;
      if (name === '') throw badRequest('invalid_name', 'The project name must not be blank.');
      const next: ProjectFile = {
        ...current,
        name,
        description: body.description ?? current.description,
        graph: body.graph,
        git_repo: body.git_repo ?? current.git_repo,
        git_branch: body.git_branch ?? current.git_branch,
        env: body.env ?? current.env,
        version: current.version + 1,
        updated_at: new Date().toISOString(),
      };
      if (next.description === undefined) delete next.description;
      if (next.git_repo === undefined) delete next.git_repo;
      await this.write(next, validated);
      return next;
    });
  }

  /** After an import: the package and graph come from the imported project (no version check: the import owns it). */
  replaceImported(
    id: string,
    fields: Partial<Pick<ProjectFile, 'package_name' | 'graph' | 'env' | 'description'>>,
  ): Promise<ProjectFile> {
    return this.queue.run(id, async () => {
      const current = await this.read(id);
      const issues = fields.graph ? validateGraph(fields.graph) : [];
      if (issues.length > 0)
        throw badRequest('invalid_graph', `The imported graph is not valid: ${issues[0]!.message}`);
      const next: ProjectFile = {
        ...current,
        ...fields,
        version: current.version + 1,
        updated_at: new Date().toISOString(),
      };
      if (next.description === undefined) delete next.description;
      await this.write(next);
      return next;
    });
  }

  rename(id: string, name: string, version: number): Promise<ProjectFile> {
    return this.queue.run(id, async () => {
      const current = await this.read(id);
      if (version !== current.version) {
        throw conflict(
          'stale_version',
          `This project was saved elsewhere (version ${current.version}).`,
          'Reload and rename again.',
          {
            currentVersion: current.version,
          },
        );
      }
      const trimmed = name.trim();
      if (trimmed === '') throw badRequest('invalid_name', 'The project name must not be blank.');
      const next = {
        ...current,
        name: trimmed,
        version: current.version + 1,
        updated_at: new Date().toISOString(),
      };
      await this.write(next);
      return next;
    });
  }

  delete(id: string): Promise<void> {
    return this.queue.run(id, async () => {
      const file = this.fileOf(id);
      try {
        this.cache.delete(id);
        await fs.rm(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          throw notFound('project_not_found', `No project with id ${id}.`);
        throw error;
      }
      // Everything else the project owns: its workspace, its Git work tree, temp and staging files.
      await fs.rm(this.workspaceOf(id), { recursive: true, force: true });
      await fs.rm(path.join(this.dir, '.git-work', id), { recursive: true, force: true });
      await fs.rm(path.join(this.dir, '.deployments', `${id}.json`), { force: true });
      await this.history?.remove(id);
      for (const name of await fs.readdir(this.dir))
        if (isTempFile(name) && name.startsWith(`.${id}.json.`))
          await fs.rm(path.join(this.dir, name), { force: true });
      const staging = path.join(this.dir, '.staging');
      for (const name of await fs.readdir(staging).catch(() => [] as string[]))
        if (name.includes(id)) await fs.rm(path.join(staging, name), { recursive: true, force: true });
    });
  }

  /**
   * `checked`: a save whose body the route validated already (the same schema): checking the whole project again
   * cost a 1000-node save 0.5 ms of CPU for nothing.
   */
  private async write(project: ProjectFile, checked = false): Promise<void> {
    if (!checked) {
      // Built here (an import, a restore, a rename), not a body the route checked: fields the format does not have
      // are left out, as a read would leave them out.
      Value.Clean(ProjectFile, project);
      if (!checkProjectFile.Check(project)) {
        const first = checkProjectFile.Errors(project).First();
        throw badRequest(
          'invalid_project',
          `The project is not valid: ${first?.path ?? ''} ${first?.message ?? ''}`.trim(),
        );
      }
    }
    const file = this.fileOf(project.id);
    // Compact: at 1,000 nodes a third smaller than indented JSON (375 vs 608 KiB to write and fsync) and 30 %
    // faster to serialise; fewer bytes allocated per save means fewer of the garbage collections that made the
    // slowest saves. The file is read by the designer, history keeps its own indented copy (history/writer.ts).
    // The bytes of JSON.stringify, with the nodes and edges a save reused from the last one not serialised again;
    // one Buffer, outside V8's heap, for the write and for reads until the next write.
    const json = stringifyReusingBytes(project, '\n');
    await writeFileAtomic(file, json);
    const stat = await fs.stat(file);
    this.cache.set(project.id, { mtimeMs: stat.mtimeMs, size: stat.size, project, json });
    this.history?.recorded(project);
  }
}

/** The pid of the designer that last started on a data folder. */
export const SERVER_PID_FILE = '.designer-server.pid';

export function assertProjectId(id: string): void {
  if (!UUID_PATTERN.test(id)) {
    throw badRequest(
      'invalid_project_id',
      `"${id.slice(0, 80)}" is not a project id.`,
      'Project ids are UUIDs, as returned by GET /api/projects.',
    );
  }
}
