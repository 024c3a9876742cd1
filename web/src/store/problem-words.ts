// Problems as a person reads them: on the node that causes them (a duplicate asset key is on every node that
// defines it), in the designer's words rather than a library's ("please use YAML.parseAllDocuments()").
import { declaredAssetKeys, type Asset, type Problem } from '@designer/shared';
import type { DesignerNode } from './graph-ops';

/** Library wording → what it means for the user's project. */
const REWORDS: Array<[RegExp, (m: RegExpExecArray) => string, string?]> = [
  [
    /Source contains multiple documents; please use YAML\.parseAllDocuments\(\)\.?/,
    () => 'it holds several components (YAML documents separated by ---)',
    'Each component can have its own folder under defs/; the file itself is kept as it is.',
  ],
  [
    // Dagster's load, when a defs.yaml's `type:` is a bare class name (the import words it the same way).
    /(?:ValueError:\s*)?Invalid component type name:\s*`([^`]+)`\.?\s*Type names must be a "\."-separated string of valid Python identifiers with at least two segments\.?/,
    (m) =>
      `This defs.yaml names its component type "${m[1]}", which is not a full Python path (module and class), so Dagster cannot load the project`,
    'Write the type in full, e.g. dagster.PythonScriptComponent (`dg list components` lists them), or remove the file.',
  ],
  [/Nested mappings are not allowed in compact mappings/, () => 'a value has a colon that needs quotes'],
  [
    /Implicit keys need to be on a single line/,
    () => 'a key runs over more than one line (check the indentation)',
  ],
];

function reword(problem: Problem): Problem {
  let { message, hint } = problem;
  for (const [pattern, words, extraHint] of REWORDS) {
    const match = pattern.exec(message);
    if (!match) continue;
    message = message.replace(pattern, words(match));
    if (extraHint && !hint) hint = extraHint;
  }
  return message === problem.message && hint === problem.hint
    ? problem
    : { ...problem, message, ...(hint ? { hint } : {}) };
}

/** "Duplicate asset key: AssetKey(['a', 'b'])" or "Asset key a/b is defined multiple times" → "a/b". */
export function duplicateKeyOf(message: string): string | null {
  const dagsterKey = /Duplicate asset key:?\s*AssetKey\(\[([^\]]*)\]\)/i.exec(message);
  if (dagsterKey)
    return dagsterKey[1]!
      .split(',')
      .map((p) => p.trim().replace(/^['"]|['"]$/g, ''))
      .filter(Boolean)
      .join('/');
  const plain = /Asset key ([^\s]+) is defined multiple times/i.exec(message);
  return plain ? plain[1]! : null;
}

/** The keys each node defines: from the last preview, else the keys it declares. */
function keysByNode(nodes: readonly DesignerNode[], assets: readonly Asset[]): Map<string, Set<string>> {
  const byNode = new Map<string, Set<string>>();
  for (const node of nodes) {
    const prefix = (node.data.translation as { key_prefix?: string } | undefined)?.key_prefix;
    const declared = (declaredAssetKeys(node) ?? []).map((k) => (prefix ? `${prefix}/${k}` : k));
    byNode.set(node.id, new Set(declared));
  }
  for (const a of assets) if (a.nodeId) byNode.get(a.nodeId)?.add(a.key);
  return byNode;
}

/** Problems placed on their nodes and said in the user's words. */
export function explainProblems(
  problems: readonly Problem[],
  nodes: readonly DesignerNode[],
  assets: readonly Asset[],
): Problem[] {
  const out: Problem[] = [];
  let keys: Map<string, Set<string>> | null = null;
  for (const raw of problems) {
    const problem = reword(raw);
    // Dagster reports it once (on no node, or on the one it met second); it is a problem of every node defining it.
    const key = duplicateKeyOf(problem.message);
    if (!key) {
      out.push(problem);
      continue;
    }
    keys ??= keysByNode(nodes, assets);
    const owners = nodes.filter((n) => keys!.get(n.id)?.has(key));
    const names = owners.map((n) => n.data.label);
    const hint =
      'Asset keys must be unique in a project: change the key (Attributes → Assets → Key) or the key prefix of one of them.';
    if (owners.length === 0) {
      out.push({ ...problem, message: `Two components define the asset key ${key}.`, hint });
      continue;
    }
    for (const owner of owners) {
      const others = names.filter((n) => n !== owner.data.label);
      out.push({
        severity: 'error',
        nodeId: owner.id,
        field: 'assets',
        message: `${owner.data.label}: its asset key ${key} is also defined by ${others.length ? others.join(', ') : 'another component'}.`,
        hint,
      });
    }
  }
  return out;
}

/**
 * After `dg check defs`: its problems (the load's errors, said in the user's words) plus the last preview's warnings
 * it does not repeat. The designer's own warnings (DuckDB files, env vars…) stay until their cause is gone; the
 * preview's errors come from the same load as the check's, so the check's replace them.
 */
export function afterCheck(checked: readonly Problem[], previous: readonly Problem[]): Problem[] {
  const key = (p: Problem) => `${p.nodeId ?? p.file ?? ''}|${p.message}`;
  const seen = new Set(checked.map(key));
  return [...checked, ...previous.filter((p) => p.severity === 'warning' && !seen.has(key(p)))];
}
