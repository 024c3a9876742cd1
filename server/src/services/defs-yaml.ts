// Writes the designer's part of a defs.yaml into the existing file with the yaml Document API:
// comments, key order and keys the designer does not manage survive every edit.
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import type { ManagedDefs } from '@designer/shared';
import { AppError } from '../errors.js';

/** Every YAML text the server reads goes through loadYaml with these limits (alias bombs, deep or huge files). */
// 256 KiB: a defs.yaml is a few KiB; the parser blocks the event loop for seconds on a few MiB of keys.
export const YAML_LIMITS = { maxBytes: 256 * 1024, maxAliasCount: 100, maxDepth: 100 } as const;

export interface YamlError {
  message: string;
  line: number;
  column: number;
}

export type LoadedYaml =
  { ok: true; doc: Document.Parsed; value: unknown; lines: LineCounter } | { ok: false; error: YamlError };

/** The deepest nesting of a plain JS value, walked without recursion, stopping past `limit`. */
function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > deepest) deepest = d + 1;
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}

/** Where flow collections (`[`, `{`) first nest deeper than `limit`, or -1: the parser recurses on them. */
function flowTooDeep(text: string, limit: number): number {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    const tokenStart = i === 0 || /[\s[{,:]/.test(text[i - 1]!);
    if (quote) {
      if (c === '\\' && quote === '"') i += 1;
      else if (c === quote) quote = '';
    } else if ((c === '"' || c === "'") && tokenStart) quote = c;
    else if (c === '#' && tokenStart) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (c === '[' || c === '{') {
      depth += 1;
      if (depth > limit) return i;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return -1;
}

/** The first key repeated within one map (where it repeats), found in one pass over the document. */
function duplicateKey(doc: Document.Parsed): { key: string; offset: number } | null {
  let found: { key: string; offset: number } | null = null;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (seen.has(key)) {
          found = { key, offset: pair.key.range?.[0] ?? 0 };
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

/** Why a YAML text is beyond YAML_LIMITS before it is parsed (too big, flow collections too deep), or null. */
export function yamlLimitProblem(text: string): YamlError | null {
  if (Buffer.byteLength(text) > YAML_LIMITS.maxBytes)
    return { message: `the file is larger than ${YAML_LIMITS.maxBytes / 1024} KiB`, line: 1, column: 1 };
  const tooDeep = flowTooDeep(text, YAML_LIMITS.maxDepth);
  if (tooDeep === -1) return null;
  const line = text.slice(0, tooDeep).split('\n').length;
  return { message: `it is nested more than ${YAML_LIMITS.maxDepth} levels deep`, line, column: 1 };
}

/**
 * Parses a YAML text within YAML_LIMITS. Never throws: a syntax error, an alias bomb, a file too big or too
 * deep is a located error ("line 3, column 5: …") for the caller to report on its node.
 */
export function loadYaml(text: string): LoadedYaml {
  const fail = (message: string, line = 1, column = 1): LoadedYaml => ({
    ok: false,
    error: { message, line, column },
  });
  const limit = yamlLimitProblem(text);
  if (limit) return { ok: false, error: limit };
  const lines = new LineCounter();
  let doc: Document.Parsed;
  try {
    // The parser's own duplicate-key check compares every key with every other (20,000 keys: 20 s, with the
    // event loop blocked); duplicateKey does it in one pass.
    doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: false, uniqueKeys: false });
  } catch (error) {
    return fail(`cannot be parsed (${error instanceof RangeError ? 'nested too deeply' : String(error)})`);
  }
  const duplicate = doc.errors.length > 0 ? null : duplicateKey(doc);
  if (duplicate) {
    const at = lines.linePos(duplicate.offset);
    return fail(
      `YAML syntax error: map keys must be unique ("${duplicate.key.slice(0, 80)}" is repeated)`,
      at.line,
      at.col,
    );
  }
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const at = e.linePos?.[0] ?? { line: 1, col: 1 };
    const what = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return fail(`YAML syntax error: ${what}`, at.line, at.col);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: YAML_LIMITS.maxAliasCount });
  } catch (error) {
    let offset = 0;
    visit(doc, {
      Alias(_, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const at = lines.linePos(offset);
    return error instanceof ReferenceError
      ? fail(
          `its aliases (*name) expand to more than ${YAML_LIMITS.maxAliasCount} copies, as in an "alias bomb"`,
          at.line,
          at.col,
        )
      : fail(`cannot be read (${error instanceof RangeError ? 'nested too deeply' : String(error)})`);
  }
  if (depthOf(value, YAML_LIMITS.maxDepth) > YAML_LIMITS.maxDepth)
    return fail(`it is nested more than ${YAML_LIMITS.maxDepth} levels deep`);
  return { ok: true, doc, value, lines };
}

/** loadYaml for callers that answer a request: a 422 with the line in its message and details. */
function loadOrThrow(text: string): { doc: Document.Parsed; value: unknown } {
  const loaded = loadYaml(text);
  if (loaded.ok) return loaded;
  const { message, line, column } = loaded.error;
  throw new AppError(
    422,
    'invalid_defs_yaml',
    `defs.yaml cannot be parsed at line ${line}, column ${column}: ${message}`,
    'Fix the file by hand (or delete it to have it written again).',
    { line, column },
  );
}

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
  const { doc } = loadOrThrow(existing ?? '');
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
  const { value } = loadOrThrow(text);
  return isPlainObject(value) ? value : {};
}
