// From a canvas node (and the keys of its upstream nodes) to the managed part of its defs.yaml.
// Pure: the server writes the result with the yaml Document API, keeping what the user wrote by hand.
//
// How an edge A → B becomes a real dependency (checked against dagster 1.13's source):
// - B declares its assets (`attributes.assets: [{ key, deps }]`, e.g. PythonScriptComponent,
//   TemplatedSqlComponent): A's keys are added to the `deps` of every B asset that has no upstream
//   inside B, so B's own internal dependencies stay as they are.
// - Otherwise (dbt, Sling, dlt, Fivetran…): one post-processing rule `target: "roots(*)"` sets
//   `deps` to A's keys. With `operation: merge` Dagster merges only metadata and tags and *replaces*
//   deps, which is harmless here because a root has no deps to lose. A dbt model that reads a
//   source() is not a root and is left alone.
import type { Problem } from './api.js';
import type { GraphNode } from './project-file/schema.js';
import { partitionsChoiceOf, partitionsProblems } from './partitions.js';

export interface PostProcessingRule {
  target: string;
  operation?: 'merge' | 'replace';
  attributes: Record<string, unknown>;
}

export interface ManagedDefs {
  type: string;
  attributes: Record<string, unknown>;
  post_processing?: { assets: PostProcessingRule[] };
  requirements?: { env: string[] };
}

export interface TranslationFields {
  key_prefix?: string;
  group_name?: string;
  description?: string;
  owners?: string[];
  tags?: Record<string, string>;
  /** A template Dagster resolves, e.g. "{{ dg.AutomationCondition.eager() }}" (written by the Automation tab). */
  automation_condition?: string;
  /** Written by the Partitions section: Dagster's structured form or a `{{ dg.…PartitionsDefinition(…) }}` template. */
  partitions_def?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Asset keys as `dg` writes them: "a/b/c". Accepts "a/b", ["a","b"] and { path: [...] }. */
export function normaliseKey(key: unknown): string | null {
  if (typeof key === 'string' && key.trim() !== '' && !key.includes('{{')) return key.trim();
  if (Array.isArray(key) && key.every((p) => typeof p === 'string')) return key.join('/');
  if (isObject(key) && Array.isArray(key.path)) return normaliseKey(key.path);
  return null;
}

/** The declared asset list of a node, when its component declares assets in its attributes. */
function declaredAssets(attributes: Record<string, unknown>): Array<Record<string, unknown>> | null {
  const assets = attributes.assets;
  if (!Array.isArray(assets) || assets.length === 0 || !assets.every(isObject)) return null;
  return assets as Array<Record<string, unknown>>;
}

const prefixed = (prefix: string | undefined, key: string) =>
  prefix ? `${prefix.replace(/\/+$/, '')}/${key}` : key;

/** Keys a node defines that can be known without loading Dagster (declared assets), or null. */
export function declaredAssetKeys(node: Pick<GraphNode, 'data'>): string[] | null {
  const assets = declaredAssets(node.data.attributes);
  if (!assets) return null;
  const prefix = (node.data.translation as TranslationFields | undefined)?.key_prefix;
  const keys = assets.map((a) => normaliseKey(a.key));
  return keys.every((k): k is string => k !== null) ? keys.map((k) => prefixed(prefix, k)) : null;
}

/** Every `{{ env.NAME }}` in a value. */
export function envNames(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string')
    for (const m of value.matchAll(/\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) found.add(m[1]!);
  else if (Array.isArray(value)) for (const v of value) envNames(v, found);
  else if (isObject(value)) for (const v of Object.values(value)) envNames(v, found);
  return found;
}

export interface NodeFile {
  /** Dotted attribute path that names the file (the form field to focus). */
  field: string;
  /** Path relative to the node's defs folder, as written in the attribute. */
  path: string;
  language: 'python' | 'sql';
}

const SAFE_RELATIVE = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

/** The files a node's attributes point at (a script's `execution.path`, a SQL template file). */
export function nodeFiles(node: Pick<GraphNode, 'data'>): NodeFile[] {
  const attributes = node.data.attributes;
  const out: NodeFile[] = [];
  const add = (field: string, value: unknown, language: NodeFile['language']) => {
    if (typeof value === 'string' && SAFE_RELATIVE.test(value) && !value.split('/').includes('..'))
      out.push({ field, path: value, language });
  };
  const execution = attributes.execution;
  if (isObject(execution) && typeof execution.path === 'string')
    add('execution.path', execution.path, execution.path.endsWith('.sql') ? 'sql' : 'python');
  const template = attributes.sql_template;
  if (isObject(template)) add('sql_template.path', template.path, 'sql');
  return out;
}

/**
 * The files of a node the designer writes a starter for when they are missing (`dg scaffold defs` writes none):
 * a `dagster.PythonScriptComponent`'s script and a `dagster.TemplatedSqlComponent`'s SQL file.
 */
export function starterFiles(node: Pick<GraphNode, 'data'>): NodeFile[] {
  const type = node.data.component_type;
  return nodeFiles(node).filter((f) =>
    f.language === 'python'
      ? type === 'dagster.PythonScriptComponent'
      : type === 'dagster.TemplatedSqlComponent',
  );
}

export interface ReferencedEnvVar {
  name: string;
  description?: string;
  required: boolean;
  /** Ids of the nodes whose attributes reference it. */
  usedBy: string[];
}

/**
 * Every env var a project references: `{{ env.X }}` in node attributes (what becomes `requirements.env`) and the
 * names declared in the project file (with their description and whether a run needs them). Undeclared
 * references are required: a component that names a variable cannot work without it.
 */
export function referencedEnv(project: {
  env?: Array<{ name: string; description?: string; required: boolean }>;
  graph: { nodes: Array<Pick<GraphNode, 'id' | 'data'>> };
}): ReferencedEnvVar[] {
  const byName = new Map<string, ReferencedEnvVar>();
  for (const declared of project.env ?? []) byName.set(declared.name, { ...declared, usedBy: [] });
  for (const node of project.graph.nodes)
    for (const name of envNames(node.data.attributes)) {
      const entry = byName.get(name) ?? { name, required: true, usedBy: [] };
      entry.usedBy.push(node.id);
      byName.set(name, entry);
    }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export interface BuildOptions {
  /** Whether the component's schema has a `translation` attribute (dbt, Sling, dlt, Fivetran do). */
  hasTranslationAttribute: boolean;
}

export function buildManagedDefs(
  node: Pick<GraphNode, 'id' | 'data'>,
  upstreamKeys: readonly string[],
  options: BuildOptions,
): { defs: ManagedDefs; problems: Problem[] } {
  const problems: Problem[] = [];
  const attributes = clone(node.data.attributes);
  const translation = (node.data.translation ?? {}) as TranslationFields;
  const rules: PostProcessingRule[] = [];
  const assets = declaredAssets(attributes);
  const spec: Record<string, unknown> = {};
  if (translation.group_name) spec.group_name = translation.group_name;
  if (translation.description) spec.description = translation.description;
  if (translation.owners?.length) spec.owners = translation.owners;
  if (translation.tags && Object.keys(translation.tags).length) spec.tags = translation.tags;
  if (translation.automation_condition?.trim())
    spec.automation_condition = translation.automation_condition.trim();
  if (translation.partitions_def !== undefined && translation.partitions_def !== null) {
    spec.partitions_def = clone(translation.partitions_def);
    for (const message of partitionsProblems(partitionsChoiceOf(translation.partitions_def)))
      problems.push({
        severity: 'error',
        nodeId: node.id,
        message: `${node.data.label}: ${message}`,
        hint: 'Fix it in the Automation tab, Partitions section.',
      });
  }

  if (assets) {
    const ownKeys = new Set(assets.map((a) => normaliseKey(a.key)).filter((k): k is string => k !== null));
    for (const asset of assets) {
      const key = normaliseKey(asset.key);
      if (key && translation.key_prefix) asset.key = prefixed(translation.key_prefix, key);
      for (const [field, value] of Object.entries(spec)) if (asset[field] === undefined) asset[field] = value;
      if (upstreamKeys.length > 0) {
        const deps = Array.isArray(asset.deps) ? (asset.deps as unknown[]) : [];
        const internal = deps.some((d) => ownKeys.has(normaliseKey(d) ?? ''));
        if (!internal)
          asset.deps = [...deps, ...upstreamKeys.filter((k) => !deps.some((d) => normaliseKey(d) === k))];
      }
    }
  } else {
    if (translation.key_prefix) {
      if (options.hasTranslationAttribute) {
        const t = isObject(attributes.translation) ? attributes.translation : {};
        attributes.translation = { key_prefix: translation.key_prefix, ...t };
      } else {
        problems.push({
          severity: 'warning',
          nodeId: node.id,
          message: `${node.data.label}: this component has no translation attribute, so the key prefix cannot be applied.`,
          hint: 'Remove the key prefix or set keys in the attributes.',
        });
      }
    }
    if (Object.keys(spec).length > 0) rules.push({ target: '*', operation: 'merge', attributes: spec });
    if (upstreamKeys.length > 0)
      rules.push({ target: 'roots(*)', operation: 'merge', attributes: { deps: [...upstreamKeys] } });
  }
  const userRules = (node.data.post_processing as { assets?: PostProcessingRule[] } | undefined)?.assets;
  if (Array.isArray(userRules)) rules.push(...clone(userRules));

  const defs: ManagedDefs = { type: node.data.component_type, attributes };
  if (rules.length > 0) defs.post_processing = { assets: rules };
  const env = [...envNames(node.data.attributes)].sort();
  if (env.length > 0) defs.requirements = { env };
  return { defs, problems };
}

/**
 * A node renamed from `from` to `to`: what the designer derived from the old name (`defaultAttributes`: an asset
 * key equal to the label, a script or SQL file `<label>.py` / `<label>.sql`) follows the new name; whatever the
 * user chose stays as it is. Answers the attributes unchanged (same object) when nothing followed.
 */
export function followRename(
  attributes: Record<string, unknown>,
  from: string,
  to: string,
): Record<string, unknown> {
  if (from === to) return attributes;
  const next = clone(attributes);
  let changed = false;
  const assets = declaredAssets(next);
  for (const asset of assets ?? []) {
    if (asset.key === from) {
      asset.key = to;
      changed = true;
    }
  }
  for (const field of ['execution', 'sql_template'] as const) {
    const holder = next[field];
    if (!isObject(holder) || typeof holder.path !== 'string') continue;
    const ext = /\.(py|sql)$/.exec(holder.path)?.[0];
    if (ext && holder.path === `${from}${ext}`) {
      holder.path = `${to}${ext}`;
      changed = true;
    }
  }
  return changed ? next : attributes;
}

/** Other nodes that load the renamed one (`context.load_component('<label>')`, a SQL connection) follow it. */
export function followRenamedReference(
  attributes: Record<string, unknown>,
  from: string,
  to: string,
): Record<string, unknown> {
  const pattern = new RegExp(`(load_component\\(\\s*['"])${from}(['"]\\s*\\))`, 'g');
  const text = JSON.stringify(attributes);
  const next = text.replace(pattern, `$1${to}$2`);
  return next === text ? attributes : (JSON.parse(next) as Record<string, unknown>);
}

/**
 * A downstream node whose own `deps` name an upstream key that changed (an imported project holds the deps its
 * edges stand for in its attributes): those deps follow the new key, so no dep is left on a key nothing defines.
 * `renamed` maps old keys to new ones. Answers the attributes unchanged (same object) when nothing followed.
 */
export function followRenamedKeys(
  attributes: Record<string, unknown>,
  renamed: ReadonlyMap<string, string>,
): Record<string, unknown> {
  if (renamed.size === 0 || !declaredAssets(attributes)) return attributes;
  const next = clone(attributes);
  let changed = false;
  for (const asset of declaredAssets(next)!) {
    if (!Array.isArray(asset.deps)) continue;
    const deps: unknown[] = [];
    for (const dep of asset.deps as unknown[]) {
      const to = renamed.get(normaliseKey(dep) ?? '');
      if (to !== undefined) changed = true;
      const kept = to ?? dep;
      const key = normaliseKey(kept);
      if (key === null || !deps.some((d) => normaliseKey(d) === key)) deps.push(kept);
    }
    asset.deps = deps;
  }
  return changed ? next : attributes;
}
