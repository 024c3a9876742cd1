// What the designer can tell about a dbt node without running dbt: the env vars its dbt project and profile read
// (`env_var('X')`), and which DuckDB file it writes (where dbt really runs: dagster-dbt's copy of the project),
// next to the DuckDB files of other nodes. Its project path resolves as Dagster resolves it (relative paths
// start at the node's defs folder).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type GraphNode,
  type ManagedDefs,
  type Problem,
  type ProjectFile,
  type ReferencedEnvVar,
} from '@designer/shared';
import YAML from 'yaml';
import { YAML_LIMITS } from './defs-yaml.js';

const DBT_TYPE = /\.DbtProjectComponent$/;
const DUCKDB_CONNECTION = /DuckDBConnectionComponent$/;
const PROJECT_ROOT = /^\{\{\s*context\.project_root\s*\}\}\/?/;
const ENV_VAR = /env_var\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*(?:,\s*(['"])(.*?)\2\s*)?\)/g;

/** `src/<pkg>/defs` (as sync's defsDirOf; not imported, since sync uses this module). */
const defsDirOf = (root: string, packageName: string) => path.join(root, 'src', packageName, 'defs');
const isDbt = (node: GraphNode) => DBT_TYPE.test(node.data.component_type);
const relativeTo = (root: string, p: string) => path.relative(root, p).split(path.sep).join('/') || '.';

/** The dbt node's project path as written: `project: <path>` or `project: { project_dir: <path> }`. */
function projectAttribute(node: GraphNode): string | null {
  const value = node.data.attributes.project;
  if (typeof value === 'string') return value;
  if (
    value &&
    typeof value === 'object' &&
    typeof (value as { project_dir?: unknown }).project_dir === 'string'
  )
    return (value as { project_dir: string }).project_dir;
  return null;
}

/** Where dagster-dbt looks for the project: absolute, `{{ context.project_root }}/…`, else the node's folder. */
export function dbtProjectDir(node: GraphNode, root: string, packageName: string): string | null {
  const written = projectAttribute(node);
  if (written === null || (written.includes('{{') && !PROJECT_ROOT.test(written))) return null;
  if (PROJECT_ROOT.test(written)) return path.resolve(root, written.replace(PROJECT_ROOT, ''));
  if (path.isAbsolute(written)) return path.resolve(written);
  return path.resolve(defsDirOf(root, packageName), node.data.label, written);
}

function readYaml(file: string): unknown {
  try {
    const text = readFileSync(file, 'utf8');
    if (text.length > YAML_LIMITS.maxBytes) return null;
    return YAML.parse(text, { maxAliasCount: YAML_LIMITS.maxAliasCount });
  } catch {
    return null;
  }
}

/** The dbt files that read env vars: `dbt_project.yml` and the `profiles.yml` next to it (or in profiles_dir). */
function dbtFiles(node: GraphNode, dir: string, root: string): string[] {
  const profilesDir = (node.data.attributes.project as { profiles_dir?: unknown } | undefined)?.profiles_dir;
  const profiles =
    typeof profilesDir === 'string' && !profilesDir.includes('{{')
      ? path.resolve(
          path.isAbsolute(profilesDir) ? profilesDir : path.join(root, profilesDir),
          'profiles.yml',
        )
      : path.join(dir, 'profiles.yml');
  return [path.join(dir, 'dbt_project.yml'), profiles].filter((f) => existsSync(f));
}

/** Env vars a project's dbt nodes read through `env_var('X')`: required unless the call gives a default. */
export function dbtEnvVars(project: ProjectFile, root: string): ReferencedEnvVar[] {
  const byName = new Map<string, ReferencedEnvVar>();
  for (const node of project.graph.nodes.filter(isDbt)) {
    const dir = dbtProjectDir(node, root, project.package_name);
    if (!dir) continue;
    for (const file of dbtFiles(node, dir, root)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(ENV_VAR)) {
        const name = m[1]!;
        const entry = byName.get(name) ?? {
          name,
          description: `read by dbt (${relativeTo(root, file)})`,
          required: m[3] === undefined,
          usedBy: [],
        };
        if (m[3] === undefined) entry.required = true;
        if (!entry.usedBy.includes(node.id)) entry.usedBy.push(node.id);
        byName.set(name, entry);
      }
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The project's own references with the dbt ones added (a dbt var adds its nodes to an existing entry). */
export function withDbtEnvVars(referenced: ReferencedEnvVar[], dbt: ReferencedEnvVar[]): ReferencedEnvVar[] {
  const byName = new Map(referenced.map((r) => [r.name, { ...r, usedBy: [...r.usedBy] }]));
  for (const d of dbt) {
    const entry = byName.get(d.name);
    if (!entry) byName.set(d.name, d);
    else for (const id of d.usedBy) if (!entry.usedBy.includes(id)) entry.usedBy.push(id);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** `{{ env_var('X', 'default') }}` in a profile value, with the project's values. */
function renderEnv(value: string, env: Record<string, string>): string | null {
  let unresolved = false;
  const out = value.replace(/\{\{\s*(env_var\([^}]*\))\s*\}\}/g, (whole, call: string) => {
    ENV_VAR.lastIndex = 0;
    const m = ENV_VAR.exec(call);
    const resolved = m ? (env[m[1]!] ?? process.env[m[1]!] ?? m[3]) : undefined;
    if (resolved === undefined) unresolved = true;
    return resolved ?? whole;
  });
  return unresolved || out.includes('{{') ? null : out;
}

/**
 * Where dbt runs at run time. dagster-dbt (1.13, DbtProjectArgsManager) prepares its state in a copy of the
 * project, `<defs>/.local_defs_state/<key>/project/`, and runs every dbt command there (its DbtCliResource gets the
 * copy as project_dir and cwd); the copy is replaced at each state refresh.
 */
export function dbtRunDir(dir: string, root: string, packageName: string): string {
  const key = `DbtProjectComponent[${path.parse(dir).name}]`.replace(/[^A-Za-z0-9._-]/g, '__');
  return path.join(defsDirOf(root, packageName), '.local_defs_state', key, 'project');
}

/** The DuckDB file a dbt project's profile writes: a relative path starts where dbt runs (`dbtRunDir`). */
function dbtDuckdbFile(
  node: GraphNode,
  dir: string,
  root: string,
  packageName: string,
  env: Record<string, string>,
): { file: string; relative: boolean } | null {
  const dbtProject = readYaml(path.join(dir, 'dbt_project.yml')) as { profile?: unknown } | null;
  const profilesFile = dbtFiles(node, dir, root).find((f) => f.endsWith('profiles.yml'));
  if (!dbtProject || typeof dbtProject.profile !== 'string' || !profilesFile) return null;
  const profile = (readYaml(profilesFile) as Record<string, unknown> | null)?.[dbtProject.profile] as
    { target?: unknown; outputs?: Record<string, { type?: unknown; path?: unknown }> } | undefined;
  const wanted = (node.data.attributes.project as { target?: unknown } | undefined)?.target;
  const target = typeof wanted === 'string' ? wanted : profile?.target;
  const output = typeof target === 'string' ? profile?.outputs?.[target] : undefined;
  if (output?.type !== 'duckdb' || typeof output.path !== 'string') return null;
  const file = renderEnv(output.path, env);
  if (!file || file === ':memory:' || file.startsWith('md:')) return null;
  if (path.isAbsolute(file)) return { file: path.resolve(file), relative: false };
  return { file: path.resolve(dbtRunDir(dir, root, packageName), file), relative: true };
}

/** `{{ env.NAME }}` in a component attribute, with the project's values (null when one is not set). */
function renderComponentEnv(value: string, env: Record<string, string>): string | null {
  let unresolved = false;
  const out = value.replace(/\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_whole, name: string) => {
    const resolved = env[name] ?? process.env[name];
    if (resolved === undefined) unresolved = true;
    return resolved ?? '';
  });
  return unresolved ? null : out;
}

/** The DuckDB file a DuckDB connection node opens (relative paths start where Dagster runs: the project). */
function connectionFile(node: GraphNode, root: string, env: Record<string, string>): string | null {
  const written = node.data.attributes.database ?? 'warehouse.duckdb';
  if (typeof written !== 'string') return null;
  const database = renderComponentEnv(written, env);
  if (database === null || database === ':memory:') return null;
  if (PROJECT_ROOT.test(database)) return path.resolve(root, database.replace(PROJECT_ROOT, ''));
  return database.includes('{{') ? null : path.resolve(root, database);
}

/** DuckDB files that differ between a dbt node's profile and the other nodes (what looks like one warehouse). */
export function dbtProblems(project: ProjectFile, root: string, env: Record<string, string>): Problem[] {
  const problems: Problem[] = [];
  const files: Array<{ node: GraphNode; file: string; via: string }> = [];
  let copied = false;
  for (const node of project.graph.nodes) {
    if (DUCKDB_CONNECTION.test(node.data.component_type)) {
      const file = connectionFile(node, root, env);
      if (file) files.push({ node, file, via: 'its database' });
    }
    if (!isDbt(node)) continue;
    const written = projectAttribute(node);
    const dir = dbtProjectDir(node, root, project.package_name);
    if (written === null || dir === null) continue;
    // A path that leads to no dbt project is reported (with the folder and the fix) by project-paths.ts.
    if (!existsSync(path.join(dir, 'dbt_project.yml'))) continue;
    const found = dbtDuckdbFile(node, dir, root, project.package_name, env);
    if (!found) continue;
    copied ||= found.relative;
    files.push({
      node,
      file: found.file,
      via: found.relative
        ? "its dbt profile's relative path, from dagster-dbt's copy of the dbt project, where dbt runs; the copy is replaced at each dbt refresh"
        : 'its dbt profile',
    });
  }
  const distinct = [...new Set(files.map((f) => f.file))];
  if (distinct.length > 1 && files.some((f) => isDbt(f.node))) {
    const list = files.map((f) => `${f.node.data.label} → ${relativeTo(root, f.file)}`).join(', ');
    for (const f of files)
      problems.push({
        severity: 'warning',
        nodeId: f.node.id,
        message: `${f.node.data.label}: writes to the DuckDB file ${relativeTo(root, f.file)} (${f.via}), but other nodes use other DuckDB files (${list}).`,
        hint: copied
          ? "If they are one warehouse, give both one absolute path through an env var: the dbt profile's path \"{{ env_var('WAREHOUSE_DUCKDB') }}\" and the connection's database \"{{ env.WAREHOUSE_DUCKDB }}\", with WAREHOUSE_DUCKDB set in the Environment panel (a relative path in the profile lands in dagster-dbt's copy)."
          : 'If they are one warehouse, point them at the same file, e.g. "{{ context.project_root }}/warehouse.duckdb" for the connection and the same absolute path in the dbt profile.',
      });
  }
  return problems;
}

/** Required dbt env vars that are set nowhere: an error on each dbt node that reads them. */
export function missingDbtEnvProblems(
  project: ProjectFile,
  root: string,
  values: Record<string, string>,
  serverEnv: NodeJS.ProcessEnv = process.env,
): Problem[] {
  const labels = new Map(project.graph.nodes.map((n) => [n.id, n.data.label]));
  return dbtEnvVars(project, root)
    .filter((v) => v.required && values[v.name] === undefined && serverEnv[v.name] === undefined)
    .flatMap((v) =>
      v.usedBy.map((nodeId) => ({
        severity: 'error' as const,
        nodeId,
        message: `${labels.get(nodeId)}: dbt reads the environment variable ${v.name} (${v.description?.replace(/^read by dbt \(|\)$/g, '')}), which is not set.`,
        hint: `Set ${v.name} in the Environment panel (its value stays in the workspace's .env, never exported).`,
      })),
    );
}

/**
 * Edges into a dbt node, written as dbt's own translation instead of a `roots(*)` post-processing rule. Dagster
 * 1.13 applies post-processing with `replace_specs_on_asset`, which gives the dbt op an input per new dep but
 * does not map it to its asset key (dbt's multi-asset has subset inputs), so the run plan ignores it and the dbt
 * step ran before the script it depends on. dagster-dbt applies `translation` to each spec before it builds the
 * multi-asset, so the deps become real inputs. Only specs without deps get the edge (what `roots(*)` selected):
 * a model keeps dbt's lineage. A translation of the user's that sets `deps` itself is left alone.
 */
export function dbtEdgesAsTranslation(defs: ManagedDefs): ManagedDefs {
  if (!DBT_TYPE.test(defs.type)) return defs;
  const rules = defs.post_processing?.assets ?? [];
  const edge = rules.find(
    (r) =>
      r.target === 'roots(*)' && Array.isArray(r.attributes.deps) && Object.keys(r.attributes).length === 1,
  );
  const translation = defs.attributes.translation ?? {};
  if (!edge || typeof translation !== 'object' || translation === null || 'deps' in translation) return defs;
  // Multi-part keys as lists of parts (AssetKey's own form); a template so a model's deps stay as dbt has them.
  const keys = JSON.stringify((edge.attributes.deps as string[]).map((k) => k.split('/')));
  const rest = rules.filter((r) => r !== edge);
  const { post_processing: _dropped, ...withoutRules } = defs;
  return {
    ...withoutRules,
    attributes: {
      ...defs.attributes,
      translation: { ...translation, deps: `{{ spec.deps if spec.deps else ${keys} }}` },
    },
    ...(rest.length > 0 ? { post_processing: { assets: rest } } : {}),
  };
}
