// Writes the designer's part of a defs.yaml into the existing file with the yaml Document API:
// comments, key order and keys the designer does not manage survive every edit.
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { ManagedDefs } from '@designer/shared';
import { AppError } from '../errors.js';

/** Top-level keys the designer owns; every other key (template_vars_module, …) is the user's. */
export const MANAGED_KEYS = ['type', 'attributes', 'post_processing', 'requirements'] as const;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Updates `node` in place to hold `value`, reusing nodes (and their comments) where the shape allows. */
function assign(doc: Document, node: unknown, value: unknown): YamlNode {
  if (isPlainObject(value) && isMap(node)) {
    for (const pair of [...node.items]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (!(key in value)) node.delete(pair.key);
    }
    for (const [key, child] of Object.entries(value)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === key);
      if (pair) pair.value = assign(doc, pair.value, child);
      else node.set(doc.createNode(key), doc.createNode(child));
    }
    if (Object.keys(value).length === 0) node.flow = true;
    else if (node.flow && node.items.length > 0) node.flow = false;
    return node;
  }
  if (Array.isArray(value) && isSeq(node)) {
    node.items.splice(value.length);
    value.forEach((child, i) => {
      node.items[i] =
        i < node.items.length ? assign(doc, node.items[i], child) : (doc.createNode(child) as YamlNode);
    });
    return node;
  }
  if (isScalar(node) && !isPlainObject(value) && !Array.isArray(value)) {
    node.value = value;
    return node;
  }
  const created = doc.createNode(value) as YamlNode;
  if (isMap(created) && created.items.length === 0) created.flow = true;
  return created;
}

/** The new text of a defs.yaml: `existing` with the managed keys set to `managed`. */
export function writeDefsYaml(existing: string | null, managed: ManagedDefs): string {
  const doc = parseDocument(existing ?? '', { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new AppError(
      422,
      'invalid_defs_yaml',
      `defs.yaml cannot be parsed: ${e.message.split('\n')[0]}`,
      'Fix the file by hand (or delete it to have it written again).',
    );
  }
  if (doc.contents === null || !isMap(doc.contents)) doc.contents = doc.createNode({}) as never;
  const root = doc.contents as unknown as import('yaml').YAMLMap;
  for (const key of MANAGED_KEYS) {
    const value = managed[key];
    if (value === undefined) {
      root.delete(key);
      continue;
    }
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair) pair.value = assign(doc, pair.value, value);
    else root.set(key, assign(doc, null, value));
  }
  return doc.toString({ lineWidth: 0 });
}

/** The managed keys as they stand in a defs.yaml (for import and for change detection). */
export function readDefsYaml(text: string): Record<string, unknown> {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new AppError(
      422,
      'invalid_defs_yaml',
      `defs.yaml cannot be parsed: ${doc.errors[0]!.message.split('\n')[0]}`,
    );
  const value = doc.toJS() as unknown;
  return isPlainObject(value) ? value : {};
}
