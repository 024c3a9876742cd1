// What nodes an existing `defs/` folder holds, for an import: a component per defs.yaml document (a file with
// several `---` documents gives several nodes, each pointing at its document), and a "Python definitions" node
// per folder or module of plain Python definitions (`assets/`, `checks/`, `resources.py`, …), so everything the
// project defines sits on some node.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  runsTargetsComponentType,
  scheduleNodeAttributes,
  COMPONENT_TYPE_PATTERN,
  declaredAssetKeys,
  DEFS_RELATIVE_PATTERN,
  labelProblem,
  nodeLocation,
  normaliseKey,
  ownerOf,
  toLabel,
  uniqueLabel,
  type DefinedAt,
  type Graph,
  type GraphNode,
  type Problem,
} from '@designer/shared';
import { readDefsYamlDocuments } from './defs-yaml-documents.js';

const SKIPPED = /^(__pycache__|\..*|_.*)$/;
const DEFS_RELATIVE = new RegExp(DEFS_RELATIVE_PATTERN);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name for one document of a shared file: its first asset key when it has one, else `<folder>_<n>`. */
function documentLabel(doc: Record<string, unknown>, folder: string, index: number): string {
  const attributes = (doc.attributes ?? {}) as Record<string, unknown>;
  const first = Array.isArray(attributes.assets)
    ? (attributes.assets[0] as { key?: unknown } | undefined)
    : undefined;
  const key = normaliseKey(first?.key) ?? normaliseKey(attributes.asset_key);
  const base = key ? toLabel(key.split('/').pop()!) : '';
  return base && !labelProblem(base) ? base : `${toLabel(folder.split('/').pop()!)}_${index + 1}`;
}

/** Does a folder (outside component folders below it) hold Python modules that may define something? */
async function pythonModules(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    for (const entry of await fs.readdir(d, { withFileTypes: true })) {
      if (SKIPPED.test(entry.name) && entry.name !== '__init__.py') continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (!existsSync(path.join(full, 'defs.yaml')) && !existsSync(path.join(full, 'defs.yml')))
          await walk(full, `${rel}${entry.name}/`);
      } else if (entry.isFile() && entry.name.endsWith('.py')) {
        // An empty __init__.py defines nothing; one with code may.
        if (entry.name === '__init__.py' && (await fs.stat(full)).size === 0) continue;
        found.push(`${rel}${entry.name}`);
      }
    }
  };
  await walk(dir, '');
  return found;
}

export interface DefsNodes {
  nodes: GraphNode[];
  problems: Problem[];
}

/**
 * Nodes for everything under `defs/`: components (one per YAML document) and Python definitions. Folders
 * without a defs.yaml are searched for deeper defs.yaml files (Dagster loads those too).
 */
export async function nodesFromDefs(workspace: string, module: string): Promise<DefsNodes> {
  const defs = path.join(workspace, 'src', module, 'defs');
  const nodes: GraphNode[] = [];
  const problems: Problem[] = [];
  const labels = new Set<string>();
  const relFile = (rel: string) => path.relative(workspace, path.join(defs, rel)).split(path.sep).join('/');
  const warn = (message: string, rel: string) =>
    problems.push({ severity: 'warning', message, file: relFile(rel) });
  const take = (base: string) => {
    const label = uniqueLabel(base, labels);
    labels.add(label);
    return label;
  };
  const node = (id: string, type: GraphNode['type'], data: GraphNode['data']): GraphNode => ({
    id: `node_${id.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 100),
    type,
    position: { x: 0, y: 0 },
    data,
  });

  const addComponentFile = async (folder: string, fileName: string, topLevel: boolean) => {
    const rel = `${folder}/${fileName}`;
    let docs: Array<Record<string, unknown>>;
    try {
      docs = readDefsYamlDocuments(await fs.readFile(path.join(defs, rel), 'utf8'));
    } catch (error) {
      warn(`defs/${rel} is kept as is but not shown: ${(error as Error).message}`, rel);
      return;
    }
    docs.forEach((doc, index) => {
      const where = docs.length > 1 ? `document ${index + 1} of defs/${rel}` : `defs/${rel}`;
      if (typeof doc.type !== 'string' || !COMPONENT_TYPE_PATTERN.test(doc.type)) {
        warn(`${where} has no full component type; it is kept but not shown.`, rel);
        return;
      }
      // A single-document defs.yaml at the top of defs/ keeps the plain form (the label is its folder).
      const plain = docs.length === 1 && topLevel && !labelProblem(folder) && !labels.has(folder);
      const label = plain
        ? take(folder)
        : take(docs.length > 1 ? documentLabel(doc, folder, index) : toLabel(folder));
      const attributes = (doc.attributes as Record<string, unknown> | undefined) ?? {};
      // The designer's own ScheduledJobComponent / AssetSensorJobComponent documents are schedule nodes.
      const schedule = runsTargetsComponentType(doc.type);
      const data: GraphNode['data'] = {
        label,
        component_type: doc.type,
        attributes: schedule ? scheduleNodeAttributes(doc.type, attributes) : attributes,
      };
      if (doc.post_processing && typeof doc.post_processing === 'object')
        data.post_processing = doc.post_processing as Record<string, unknown>;
      if (!plain) data.defined_at = docs.length > 1 ? { path: rel, document: index } : { path: rel };
      nodes.push(node(plain ? label : `${folder}_${index}`, schedule ? 'schedule' : 'component', data));
    });
  };

  const addPython = (rel: string) => {
    const modulePath = rel.replace(/\.py$/, '').split('/');
    if (!DEFS_RELATIVE.test(rel) || !modulePath.every((p) => IDENTIFIER.test(p))) {
      warn(`defs/${rel} is kept as is but not shown: its name is not a Python module name.`, rel);
      return;
    }
    const label = take(toLabel(modulePath.join('_')));
    nodes.push(
      node(`py_${modulePath.join('_')}`, 'python', {
        label,
        component_type: [module, 'defs', ...modulePath].join('.'),
        attributes: {},
        defined_at: { path: rel },
      }),
    );
  };

  const yamlOf = (rel: string) => ['defs.yaml', 'defs.yml'].find((f) => existsSync(path.join(defs, rel, f)));
  const subfolders = async (rel: string) =>
    (await fs.readdir(path.join(defs, rel), { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !SKIPPED.test(e.name))
      .map((e) => `${rel}/${e.name}`)
      .sort();
  /** Component folders at any depth below `rel` (Dagster loads every defs.yaml of the tree). */
  const collectComponents = async (rel: string): Promise<void> => {
    const yaml = yamlOf(rel);
    if (yaml) return addComponentFile(rel, yaml, false);
    for (const sub of await subfolders(rel)) await collectComponents(sub);
  };
  const visit = async (rel: string): Promise<void> => {
    const yaml = yamlOf(rel);
    if (yaml) return addComponentFile(rel, yaml, true);
    for (const sub of await subfolders(rel)) await collectComponents(sub);
    // The folder's own Python, subfolders of plain Python included (not component folders), is one node.
    if ((await pythonModules(path.join(defs, rel))).length > 0) addPython(rel);
  };

  if (!existsSync(defs)) return { nodes, problems };
  const top = (await fs.readdir(defs, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of top) {
    if (SKIPPED.test(entry.name)) continue;
    if (entry.isDirectory()) await visit(entry.name);
    else if (entry.isFile() && entry.name.endsWith('.py')) addPython(entry.name);
  }
  return { nodes, problems };
}

/**
 * The node a definition the preview found belongs to: where Dagster says it is defined (`defined_at`, relative
 * to defs/, with its YAML document), else the node that declares its key, else its top folder.
 */
export function definitionOwner<N extends Pick<GraphNode, 'id' | 'type' | 'data'>>(
  nodes: readonly N[],
  definition: { defined_at?: DefinedAt; definedAt?: DefinedAt; folder?: string; key?: string },
): N | undefined {
  const at = definition.defined_at ?? definition.definedAt;
  if (at) return ownerOf(nodes, at);
  const key = definition.key;
  const declaring = key ? nodes.find((n) => declaredAssetKeys(n)?.includes(key)) : undefined;
  if (declaring) return declaring;
  return definition.folder ? ownerOf(nodes, { path: definition.folder }) : undefined;
}

/**
 * Edges into Python definitions that the code does not have yet, from the preview's own assets (each with its
 * node and real deps): the designer cannot inject deps into the user's Python, so each is a warning on the node
 * with the change to make. An imported edge is always real, so it never warns.
 */
export function edgesNeedingCode(
  graph: Pick<Graph, 'nodes' | 'edges'>,
  assets: ReadonlyArray<{ key: string; deps: readonly string[]; nodeId?: string }>,
): Problem[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const out: Problem[] = [];
  for (const edge of graph.edges) {
    const target = byId.get(edge.target);
    const source = byId.get(edge.source);
    if (target?.type !== 'python' || !source) continue;
    const upstream = assets.filter((a) => a.nodeId === source.id).map((a) => a.key);
    const real = new Set(assets.filter((a) => a.nodeId === target.id).flatMap((a) => a.deps));
    if (upstream.length === 0 || upstream.some((k) => real.has(k))) continue;
    const shown = upstream.slice(0, 3).join(', ') + (upstream.length > 3 ? ', …' : '');
    out.push({
      severity: 'warning',
      nodeId: target.id,
      message: `${target.data.label}: the edge from ${source.data.label} needs a code change: no asset in defs/${nodeLocation(target).path} depends on ${shown} yet.`,
      hint: `Add the upstream keys to the deps of its assets in the Code tab, e.g. @dg.asset(deps=[${upstream
        .slice(0, 2)
        .map((k) => JSON.stringify(k))
        .join(', ')}]); the designer never rewrites your Python.`,
    });
  }
  return out;
}
