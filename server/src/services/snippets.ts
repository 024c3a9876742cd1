// Snippets on disk (`<dataDir>/.snippets/<name>.json`, written atomically) and the two steps that need I/O: taking a
// selection's files out of a workspace, and putting an inserted snippet's files into one. The graph logic is
// shared/src/snippets.ts (insertSnippet).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  labelProblem,
  MAX_SNIPPET_FILE_BYTES,
  MAX_SNIPPET_FILES,
  MAX_SNIPPET_FILES_BYTES,
  nodeFiles,
  nodeLocation,
  Snippet,
  snippetOf,
  snippetProblem,
  summarizeSnippet,
  type GraphNode,
  type Insertion,
  type ProjectFile,
  type SnippetSummary,
} from '@designer/shared';
import { AppError, badRequest, conflict, notFound } from '../errors.js';
import { realPathInside } from '../lib/safe-path.js';
import { isTempFile, KeyedQueue, writeFileAtomic, writeFileInside } from './atomic-file.js';
import { isHiddenPath } from './workspace-files.js';

const checkSnippet = TypeCompiler.Compile(Snippet);
const defsOf = (root: string, packageName: string) => path.join(root, 'src', packageName, 'defs');

/** Checks a snippet from a file or a request: its shape, then its content (400 `invalid_snippet` with the reason). */
export function parseSnippet(raw: unknown, status = 400): Snippet {
  if (!checkSnippet.Check(raw)) {
    const first = checkSnippet.Errors(raw).First();
    throw new AppError(
      status,
      'invalid_snippet',
      `This is not a snippet of the designer: ${first?.path || '/'} ${first?.message ?? ''}`.trim(),
      'Export a snippet from the designer (GET /api/snippets/:name) and import that file.',
    );
  }
  const problem = snippetProblem(raw);
  if (problem) throw new AppError(status, 'invalid_snippet', problem);
  return raw;
}

function assertSnippetName(name: string): void {
  const problem = labelProblem(name);
  if (problem)
    throw badRequest(
      'invalid_snippet_name',
      `The snippet name "${name.slice(0, 80)}" ${problem}.`,
      'Snippet names follow the rule of node names: lowercase letters, digits and underscores, e.g. ingest_and_report.',
    );
}

export class SnippetStore {
  private queue = new KeyedQueue();

  constructor(readonly dir: string) {}

  fileOf(name: string): string {
    assertSnippetName(name);
    return path.join(this.dir, `${name}.json`);
  }

  async list(): Promise<Array<SnippetSummary & { error?: string }>> {
    const names = (await fs.readdir(this.dir).catch(() => [] as string[]))
      .filter((f) => f.endsWith('.json') && !isTempFile(f))
      .map((f) => f.slice(0, -5))
      .filter((name) => labelProblem(name) === null)
      .sort();
    return Promise.all(
      names.map(async (name) => {
        try {
          return summarizeSnippet(await this.read(name));
        } catch (error) {
          // Listed with its reason, never dropped: the file is the user's.
          const message = error instanceof Error ? error.message : String(error);
          return { name, created_at: '', nodes: [], edgeCount: 0, files: [], error: message };
        }
      }),
    );
  }

  async read(name: string): Promise<Snippet> {
    const file = this.fileOf(name);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw notFound('snippet_not_found', `No snippet named ${name}.`, 'GET /api/snippets lists them.');
      throw error;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new AppError(422, 'corrupt_snippet', `The file of snippet ${name} is not valid JSON.`);
    }
    const snippet = parseSnippet(raw, 422);
    if (snippet.name !== name)
      throw new AppError(422, 'corrupt_snippet', `The file of snippet ${name} names another snippet.`);
    return snippet;
  }

  /** Writes a snippet; one with the same name is replaced only with `overwrite` (409 `snippet_exists` otherwise). */
  write(snippet: Snippet, overwrite = false): Promise<void> {
    const file = this.fileOf(snippet.name);
    return this.queue.run(snippet.name, async () => {
      if (!overwrite && existsSync(file))
        throw conflict(
          'snippet_exists',
          `A snippet named ${snippet.name} exists already.`,
          'Pick another name, or replace it (overwrite).',
        );
      await fs.mkdir(this.dir, { recursive: true });
      await writeFileAtomic(file, `${JSON.stringify(snippet, null, 1)}\n`);
    });
  }

  remove(name: string): Promise<void> {
    const file = this.fileOf(name);
    return this.queue.run(name, async () => {
      try {
        await fs.rm(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          throw notFound('snippet_not_found', `No snippet named ${name}.`);
        throw error;
      }
    });
  }
}

/**
 * A snippet of the project's nodes `nodeIds` with the files in their folders (without the defs.yaml the designer
 * writes, hidden and generated files); a node that shares its folder with others brings only the files it names.
 */
export async function snippetFromProject(
  project: ProjectFile,
  nodeIds: readonly string[],
  root: string | null,
  meta: { name: string; description?: string },
): Promise<{ snippet: Snippet; warnings: string[] }> {
  const byId = new Map(project.graph.nodes.map((n) => [n.id, n]));
  const unknown = nodeIds.filter((id) => !byId.has(id));
  if (unknown.length > 0)
    throw badRequest(
      'unknown_node',
      `The project has no node ${unknown[0]!.slice(0, 100)}.`,
      'Save the project first, then save the selection as a snippet.',
    );
  const warnings: string[] = [];
  const picked = nodeIds.map((id) => byId.get(id)!);
  for (const n of picked)
    if (n.type === 'python') warnings.push(`${n.data.label} is plain Python definitions: left out.`);
  const snippet = snippetOf(project.graph, nodeIds, {
    ...meta,
    created_at: new Date().toISOString(),
  });
  if (snippet.nodes.length === 0)
    throw badRequest('empty_snippet', 'The selection holds no component or schedule to keep.');
  if (root === null) {
    warnings.push('The Dagster project is not ready: the snippet holds the nodes but not their files.');
    return { snippet, warnings };
  }
  let total = 0;
  for (const node of picked) {
    if (node.type === 'python') continue;
    const folder = path.join(defsOf(root, project.package_name), nodeLocation(node).folder);
    const candidates = node.data.defined_at
      ? nodeFiles(node).map((f) => f.path)
      : await filesUnder(folder).catch(() => [] as string[]);
    for (const relative of candidates) {
      if (
        /^defs\.ya?ml$/.test(relative) ||
        isHiddenPath(relative) ||
        relative.split('/').some((p) => p.startsWith('.'))
      )
        continue;
      const file = await realPathInside(root, path.join(folder, relative)).catch(() => null);
      const bytes = file ? await fs.readFile(file).catch(() => null) : null;
      if (!bytes) continue;
      if (bytes.includes(0)) {
        warnings.push(`${node.data.label}/${relative} is not a text file: left out.`);
        continue;
      }
      if (bytes.length > MAX_SNIPPET_FILE_BYTES) {
        warnings.push(
          `${node.data.label}/${relative} is larger than ${MAX_SNIPPET_FILE_BYTES / 1024} KiB: left out.`,
        );
        continue;
      }
      total += bytes.length;
      if (total > MAX_SNIPPET_FILES_BYTES || snippet.files.length >= MAX_SNIPPET_FILES)
        throw new AppError(
          413,
          'snippet_too_large',
          `The selection's files are more than a snippet holds (${MAX_SNIPPET_FILES} files, ${MAX_SNIPPET_FILES_BYTES / 1024 / 1024} MiB).`,
          'Select fewer nodes, or move data files out of the nodes’ folders.',
        );
      snippet.files.push({ node: node.id, path: relative, content: bytes.toString('utf8') });
    }
    if (JSON.stringify(node.data.attributes).includes('project_root'))
      warnings.push(
        `${node.data.label} uses files outside its folder ({{ context.project_root }}/…): the snippet does not carry them.`,
      );
  }
  const problem = snippetProblem(snippet);
  if (problem) throw badRequest('invalid_snippet', problem);
  return { snippet, warnings };
}

/** Files under `dir`, relative and `/`-separated, without links, hidden folders, caches and temp files. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string, prefix: string): Promise<void> => {
    for (const entry of await fs.readdir(at, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.name.startsWith('.') || isHiddenPath(rel) || isTempFile(entry.name) || entry.isSymbolicLink())
        continue;
      if (entry.isDirectory()) await walk(path.join(at, entry.name), rel);
      else if (entry.isFile()) out.push(rel);
      if (out.length > MAX_SNIPPET_FILES * 2) return;
    }
  };
  await walk(dir, '');
  return out.sort();
}

/** Folders under defs/ (names a new node may not take: they hold files of another node or of the user). */
export async function defsFolders(root: string, packageName: string): Promise<string[]> {
  const entries = await fs.readdir(defsOf(root, packageName), { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() || e.isFile()).map((e) => e.name.replace(/\.py$/, ''));
}

/**
 * What `dg scaffold defs <type> <folder>` writes (type and empty attributes): a node folder the designer fills with
 * files before sync gets one, since sync scaffolds only a folder that does not exist yet and merges into a defs.yaml
 * that does. Without it, the folder would be plain Python to Dagster (its scripts imported as modules).
 */
export const scaffoldedDefsYaml = (componentType: string) => `type: ${componentType}\n\nattributes: {}\n`;

/** A fresh node id, of the web's shape (`node_…`). */
export const newNodeId = () => `node_${randomUUID().replace(/-/g, '').slice(0, 16)}`;

/** Where an inserted snippet goes when the caller names no place: below everything on the canvas. */
export function placeBelow(nodes: readonly GraphNode[]): { x: number; y: number } {
  if (nodes.length === 0) return { x: 80, y: 80 };
  return {
    x: Math.min(...nodes.map((n) => n.position.x)),
    y: Math.max(...nodes.map((n) => n.position.y)) + 160,
  };
}

/**
 * Writes an insertion's files into new node folders (a folder that exists is never written into: 409), and answers
 * the files written and an undo that removes the folders it made (for when the save then fails).
 */
export async function writeInsertedFiles(
  root: string,
  packageName: string,
  insertion: Insertion,
): Promise<{ written: string[]; undo: () => Promise<void> }> {
  const defs = defsOf(root, packageName);
  const folders = [...new Set(insertion.files.map((f) => f.label))];
  for (const label of folders)
    if (existsSync(path.join(defs, label)))
      throw conflict(
        'folder_exists',
        `defs/${label}/ exists already; the snippet's files were not written.`,
        'Rename or remove that folder, then insert again.',
      );
  const made: string[] = [];
  const undo = async () => {
    for (const dir of made) await fs.rm(dir, { recursive: true, force: true });
  };
  const written: string[] = [];
  try {
    for (const label of folders) {
      made.push(path.join(defs, label));
      await fs.mkdir(await realPathInside(root, path.join(defs, label)), { recursive: true });
      const node = insertion.nodes.find((n) => n.data.label === label)!;
      await writeFileInside(
        root,
        path.join(defs, label, 'defs.yaml'),
        scaffoldedDefsYaml(node.data.component_type),
      );
    }
    for (const f of insertion.files) {
      const target = path.join(defs, f.label, f.path);
      await writeFileInside(root, target, f.content);
      written.push(path.relative(root, target).split(path.sep).join('/'));
    }
  } catch (error) {
    await undo();
    throw error;
  }
  return { written, undo };
}
