// The component catalog: what components the environment really has, with their schemas.
// Cached in memory and on disk, keyed by the hash of the environment's uv.lock (and the project's
// own components), so a warm request spawns no Python.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describeType, nearestNames, type ComponentSchema, type ComponentSummary } from '@designer/shared';
import { pythonScript } from '../config.js';
import { AppError, notFound } from '../errors.js';
import { writeFileAtomic } from './atomic-file.js';
import type { DagsterCli } from './dagster-cli.js';

const CATALOG_SCRIPT = pythonScript('catalog.py');
const CACHE_FORMAT = 3;

export interface CatalogEntry extends ComponentSummary {
  schema: Record<string, unknown>;
  defsYamlSchema?: Record<string, unknown>;
  scaffoldSchema?: Record<string, unknown>;
  example?: string;
}

interface RawEntry {
  type: string;
  summary: string | null;
  description: string | null;
  schema: Record<string, unknown> | null;
  defsYamlSchema?: Record<string, unknown> | null;
  scaffoldSchema?: Record<string, unknown> | null;
  example?: string | null;
}

interface Fingerprint {
  stamp: string;
  hash: string;
}

export function toEntry(raw: RawEntry): CatalogEntry {
  const entry: CatalogEntry = {
    type: raw.type,
    ...describeType(raw.type),
    summary: (raw.summary ?? '').trim(),
    scaffoldable: true,
    schema: raw.schema ?? {},
  };
  if (raw.description) entry.description = raw.description.trim();
  if (raw.defsYamlSchema) entry.defsYamlSchema = raw.defsYamlSchema;
  if (raw.scaffoldSchema) entry.scaffoldSchema = raw.scaffoldSchema;
  if (raw.example) entry.example = raw.example;
  return entry;
}

export class CatalogService {
  private memory = new Map<string, CatalogEntry[]>();
  private fingerprints = new Map<string, Fingerprint>();
  private inflight = new Map<string, Promise<CatalogEntry[]>>();

  constructor(
    private readonly cli: DagsterCli,
    private readonly cacheDir: string,
  ) {}

  /** The catalog of the environment rooted at `root` (a Dagster project with a .venv). */
  async list(root: string): Promise<{ entries: CatalogEntry[]; cached: boolean; durationMs: number }> {
    const started = performance.now();
    const key = await this.keyOf(root);
    const hit = this.memory.get(key);
    if (hit) return { entries: hit, cached: true, durationMs: performance.now() - started };
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.load(root, key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const entries = await pending;
    return { entries, cached: false, durationMs: performance.now() - started };
  }

  async schema(root: string, type: string): Promise<ComponentSchema> {
    const { entries } = await this.list(root);
    const entry = entries.find((e) => e.type === type);
    if (!entry) {
      const near = nearestNames(
        type,
        entries.map((e) => e.type),
      );
      throw notFound(
        'unknown_component',
        `No component "${type}" is installed in this environment.`,
        near.length ? `Did you mean ${near.join(', ')}?` : undefined,
      );
    }
    return {
      type: entry.type,
      schema: entry.schema,
      defsYamlSchema: entry.defsYamlSchema,
      scaffoldSchema: entry.scaffoldSchema,
      example: entry.example,
    };
  }

  /** Forgets what is known of an environment (after `uv add`). */
  invalidate(root: string): void {
    this.fingerprints.delete(root);
  }

  private async load(root: string, key: string): Promise<CatalogEntry[]> {
    const cacheFile = path.join(this.cacheDir, `catalog-${key}.json`);
    try {
      const cached = JSON.parse(await fs.readFile(cacheFile, 'utf8')) as {
        format: number;
        entries: CatalogEntry[];
      };
      if (cached.format === CACHE_FORMAT && Array.isArray(cached.entries)) {
        this.memory.set(key, cached.entries);
        return cached.entries;
      }
    } catch {
      // no cache yet, or an unreadable one: build it again
    }
    const entries = await this.inspect(root);
    await fs.mkdir(this.cacheDir, { recursive: true });
    await writeFileAtomic(cacheFile, JSON.stringify({ format: CACHE_FORMAT, root, entries }));
    this.memory.set(key, entries);
    return entries;
  }

  /** Asks the environment itself: one Python process, or the dg command line when that is not possible. */
  private async inspect(root: string): Promise<CatalogEntry[]> {
    const result = await this.cli.runScript(root, CATALOG_SCRIPT, [root], { timeoutMs: 180_000 });
    if (result.exitCode === 0) {
      const parsed = JSON.parse(result.stdout) as { components: RawEntry[] };
      return parsed.components.map(toEntry);
    }
    if (result.exitCode !== 3) {
      throw new AppError(
        502,
        'catalog_failed',
        `Listing the installed components failed: ${result.stderr.trim().split('\n').slice(-5).join('\n')}`,
        'Run `dg list components` in the project to see the full error; a broken component library is the usual cause.',
      );
    }
    const listed = await this.cli.listComponents(root);
    const entries: CatalogEntry[] = [];
    for (const { key, summary } of listed) {
      const [schemaText, description] = await Promise.all([
        this.cli.inspectComponent(root, key, '--defs-yaml-json-schema'),
        this.cli.inspectComponent(root, key, '--description'),
      ]);
      const defsYamlSchema = JSON.parse(schemaText) as {
        properties?: { attributes?: Record<string, unknown> };
      };
      entries.push(
        toEntry({
          type: key,
          summary,
          description,
          schema: defsYamlSchema.properties?.attributes ?? {},
          defsYamlSchema,
        }),
      );
    }
    return entries;
  }

  /** Hash of what decides the catalog: the lock file and the project's own component modules. */
  private async keyOf(root: string): Promise<string> {
    const lock = path.join(root, 'uv.lock');
    if (!existsSync(lock)) {
      throw new AppError(
        409,
        'environment_not_ready',
        'This environment has no uv.lock yet.',
        'Wait until the workspace is ready.',
      );
    }
    const componentFiles = await listComponentSources(root);
    const pyproject = path.join(root, 'pyproject.toml');
    const decisive = existsSync(pyproject) ? [lock, pyproject] : [lock];
    const stats = await Promise.all(
      [...decisive, ...componentFiles].map(async (f) => `${f}:${(await fs.stat(f)).mtimeMs}`),
    );
    const stamp = stats.join('|');
    const known = this.fingerprints.get(root);
    if (known?.stamp === stamp) return known.hash;
    const hash = createHash('sha256');
    hash.update(`format ${CACHE_FORMAT}\n`);
    for (const f of decisive) hash.update(await fs.readFile(f));
    for (const f of componentFiles) {
      hash.update(path.relative(root, f));
      hash.update(await fs.readFile(f));
    }
    const digest = hash.digest('hex').slice(0, 32);
    this.fingerprints.set(root, { stamp, hash: digest });
    return digest;
  }
}

/**
 * Folders of the modules a project registers components from: `[tool.dg.project] registry_modules` in its
 * pyproject.toml (`shop.components.*` → `src/shop/components/`, `shop.lib` → `src/shop/lib/`), plus the
 * conventional `src/<pkg>/components/`.
 */
export function registryFolders(pyproject: string, packages: readonly string[]): string[] {
  const folders = new Set(packages.map((pkg) => path.join(pkg, 'components')));
  const list = /registry_modules\s*=\s*\[([^\]]*)\]/.exec(pyproject)?.[1] ?? '';
  for (const m of list.matchAll(/"([A-Za-z_][\w.]*?)(\.\*)?"/g)) folders.add(path.join(...m[1]!.split('.')));
  return [...folders].sort();
}

/** Python files of a project's own component types (its registry modules), which decide its catalog. */
async function listComponentSources(root: string): Promise<string[]> {
  const src = path.join(root, 'src');
  const out: string[] = [];
  let packages: string[] = [];
  try {
    packages = await fs.readdir(src);
  } catch {
    return out;
  }
  const pyproject = await fs.readFile(path.join(root, 'pyproject.toml'), 'utf8').catch(() => '');
  for (const folder of registryFolders(pyproject, packages)) {
    if (existsSync(path.join(src, `${folder}.py`))) out.push(path.join(src, `${folder}.py`));
    const dir = path.join(src, folder);
    const walk = async (d: string): Promise<void> => {
      let items: import('node:fs').Dirent[];
      try {
        items = await fs.readdir(d, { withFileTypes: true });
      } catch {
        return;
      }
      for (const item of items) {
        const p = path.join(d, item.name);
        if (item.isDirectory() && item.name !== '__pycache__') await walk(p);
        else if (item.isFile() && item.name.endsWith('.py')) out.push(p);
      }
    };
    await walk(dir);
  }
  return [...new Set(out)].sort();
}
