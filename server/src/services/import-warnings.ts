// What an import could not do, in the user's words: Dagster's own load errors (a Python exception) become which
// file, what is wrong and what to do, with Dagster's text kept at the end of the hint for whoever wants it.
import type { Problem } from '@designer/shared';
import type { RawProblem } from './inspector.js';

/**
 * Said of every load failure during an import: what it costs the user. The preview leaves a failing folder out and
 * loads the rest, so only dependencies through the failing part can be missing.
 */
const NO_EDGES =
  'Dagster could not load that part of the imported project, so dependencies through it are not drawn as edges';
const AFTER_FIX = 'then a preview shows its assets (draw the edges it needs, or import the project again).';

const dagsterSaid = (raw: string) => ` Dagster's message: ${raw.replace(/\s+/g, ' ').trim()}`;

/** `type: <name>` of a defs.yaml text (each document's), to find the file a type name comes from. */
export function declaredTypes(text: string): string[] {
  return [...text.matchAll(/^type:\s*["']?([^\s"'#]+)/gm)].map((m) => m[1]!);
}

/**
 * One import warning for a problem of the definitions load. `typeFiles` maps each defs.yaml (relative to the
 * workspace) to the component types it names, so "Invalid component type name" can say which file is at fault.
 */
export function importLoadWarning(p: RawProblem, typeFiles: ReadonlyMap<string, string[]>): Problem {
  const raw = p.message;
  const where = p.file ? { file: p.file, ...(p.line ? { line: p.line } : {}) } : {};
  const invalidType = /Invalid component type name:\s*`?([^`\s]+?)`?\.?(\s|$)/.exec(raw);
  if (invalidType) {
    const name = invalidType[1]!;
    const file = [...typeFiles].find(([, types]) => types.includes(name))?.[0];
    return {
      severity: 'warning',
      message: `${file ? `${file.replace(/^src\/[^/]+\//, '')}: its` : 'A defs.yaml:'} component type "${name}" is not a full Python path (module and class), so Dagster cannot load it: it is kept as it is but not shown, and dependencies through it are not drawn as edges.`,
      hint: `Write the type in full, e.g. dagster.${name.includes('.') ? 'PythonScriptComponent' : name} (\`dg list components\` lists them), or remove the file; ${AFTER_FIX}${dagsterSaid(raw)}`,
      ...(file ? { file } : where),
    };
  }
  const missing = p.missing_module ?? /No module named '([^']+)'/.exec(raw)?.[1];
  if (missing)
    return {
      severity: 'warning',
      message: `The project's code imports the Python module "${missing}", which its environment does not have. ${NO_EDGES}.`,
      hint: `Add the library that provides it to the project's pyproject.toml (\`uv add <library>\`); ${AFTER_FIX}${dagsterSaid(raw)}`,
      ...where,
    };
  const yaml = /(ScannerError|ParserError|while (scanning|parsing))/.test(raw);
  if (yaml)
    return {
      severity: 'warning',
      message: `${p.file ? `${p.file}${p.line ? ` line ${p.line}` : ''}` : 'A YAML file'} is not valid YAML. ${NO_EDGES}.`,
      hint: `Fix the YAML there (the Files tab opens it); ${AFTER_FIX}${dagsterSaid(raw)}`,
      ...where,
    };
  const exception = /^([A-Za-z_.]*(Error|Exception)):/.exec(raw.trim())?.[1];
  return {
    severity: 'warning',
    message: `${NO_EDGES}${p.file ? `: it failed in ${p.file}${p.line ? ` line ${p.line}` : ''}` : ''}${exception ? ` (${exception.split('.').pop()})` : ''}.`,
    hint: `Press Preview to see the failure on the component it comes from; once it loads, ${AFTER_FIX}${dagsterSaid(raw)}`,
    ...where,
  };
}
