// Find on the canvas: a search index of the nodes (label, component type, asset keys, groups, kinds, tags,
// problems) built once per change of the graph or preview, and a matcher that answers the matching node ids in
// reading order. Pure, so it is tested without a browser and stays cheap at thousands of nodes.
import { declaredAssetKeys, type Asset, type Problem } from '@designer/shared';

export type FindField = 'label' | 'type' | 'key' | 'group' | 'kind' | 'tag' | 'problem';
export const FIND_FIELDS: readonly FindField[] = ['label', 'type', 'key', 'group', 'kind', 'tag', 'problem'];

interface IndexedNode {
  id: string;
  x: number;
  y: number;
  /** Lower-cased values per field. */
  fields: [FindField, string][];
  /** Every value, lower-cased, in one string (one `includes` per word). */
  all: string;
}
export interface FindIndex {
  nodes: IndexedNode[];
}
export interface FindMatch {
  id: string;
  /** The field and value the first word matched, as shown in the find bar ("key raw/orders"). */
  field: FindField;
  value: string;
}

export interface FindableNode {
  id: string;
  position: { x: number; y: number };
  data: {
    label: string;
    component_type: string;
    attributes: Record<string, unknown>;
    translation?: Record<string, unknown>;
  };
}

export function buildFindIndex(
  nodes: readonly FindableNode[],
  assets: readonly Asset[],
  problems: readonly Problem[],
): FindIndex {
  const assetsOf = new Map<string, Asset[]>();
  for (const a of assets)
    if (a.nodeId) {
      const list = assetsOf.get(a.nodeId);
      if (list) list.push(a);
      else assetsOf.set(a.nodeId, [a]);
    }
  const problemsOf = new Map<string, string[]>();
  for (const p of problems)
    if (p.nodeId) {
      const list = problemsOf.get(p.nodeId);
      const text = p.hint ? `${p.message} ${p.hint}` : p.message;
      if (list) list.push(text);
      else problemsOf.set(p.nodeId, [text]);
    }
  const sorted = [...nodes].sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x);
  return {
    nodes: sorted.map((n) => {
      const fields: [FindField, string][] = [
        ['label', n.data.label],
        ['type', n.data.component_type],
      ];
      const add = (field: FindField, value: unknown) => {
        if (typeof value !== 'string' || value === '') return;
        if (!fields.some(([f, v]) => f === field && v === value)) fields.push([field, value]);
      };
      for (const key of declaredAssetKeysSafe(n)) add('key', key);
      const translation = n.data.translation ?? {};
      add('group', translation.group_name);
      addTags(translation.tags, (t) => add('tag', t));
      for (const a of assetsOf.get(n.id) ?? []) {
        add('key', a.key);
        add('group', a.group_name);
        for (const k of a.kinds ?? []) add('kind', k);
        for (const [k, v] of Object.entries(a.tags ?? {})) add('tag', v ? `${k}=${v}` : k);
      }
      for (const declared of declaredAssetList(n.data.attributes)) {
        for (const k of Array.isArray(declared.kinds) ? declared.kinds : []) add('kind', k);
        add('group', declared.group_name);
        addTags(declared.tags, (t) => add('tag', t));
      }
      for (const p of problemsOf.get(n.id) ?? []) add('problem', p);
      const lower = fields.map(([f, v]): [FindField, string] => [f, v.toLowerCase()]);
      return {
        id: n.id,
        x: n.position.x,
        y: n.position.y,
        fields: lower,
        all: lower.map((f) => f[1]).join('\u0001'),
      };
    }),
  };
}

/**
 * Nodes matching every word of `query` (case-insensitive, anywhere in a field), in reading order (top to bottom,
 * then left to right). A word `field:value` (`key:raw/orders`, `kind:dbt`, `tag:tier=gold`) looks in that field only.
 */
export function findMatches(index: FindIndex, query: string): FindMatch[] {
  const words = query
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => {
      const m = /^([a-z]+):(.+)$/.exec(w);
      const field = m && (FIND_FIELDS as readonly string[]).includes(m[1]!) ? (m[1] as FindField) : null;
      return { field, text: field ? m![2]! : w };
    });
  if (words.length === 0) return [];
  const out: FindMatch[] = [];
  for (const node of index.nodes) {
    let all = true;
    for (const word of words) {
      const hit =
        word.field === null
          ? node.all.includes(word.text)
          : node.fields.some(([f, v]) => f === word.field && v.includes(word.text));
      if (!hit) {
        all = false;
        break;
      }
    }
    if (!all) continue;
    // Which field the first word matched, said in the find bar (only for matches: cheap).
    const w = words[0]!;
    const first = node.fields.find(([f, v]) => (w.field === null || f === w.field) && v.includes(w.text))!;
    out.push({ id: node.id, field: first[0], value: first[1] });
  }
  return out;
}

function declaredAssetKeysSafe(n: FindableNode): string[] {
  try {
    return declaredAssetKeys(n as Parameters<typeof declaredAssetKeys>[0]) ?? [];
  } catch {
    return [];
  }
}

function declaredAssetList(attributes: Record<string, unknown>): Record<string, unknown>[] {
  const assets = attributes.assets;
  return Array.isArray(assets)
    ? assets.filter((a): a is Record<string, unknown> => typeof a === 'object' && a !== null)
    : [];
}

function addTags(tags: unknown, add: (tag: string) => void): void {
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return;
  for (const [k, v] of Object.entries(tags)) add(typeof v === 'string' && v ? `${k}=${v}` : k);
}
