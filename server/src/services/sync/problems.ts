// Node problems: turns what the toolchain reports against a file, a folder or a traceback (dg check, a load,
// a schema validation) into a Problem on the node that owns it, with a hint; and the env vars nodes miss.
import path from 'node:path';
import {
  nodeLocation,
  ownerOf,
  referencedEnv,
  type GraphNode,
  type Problem,
  type ProjectFile,
} from '@designer/shared';
import type { RawProblem } from '../inspector.js';
import { defsDirOf } from './state.js';

const DG_CHECK_LINE = /^(.+?\.ya?ml):(\d+) - (\S+) (.*)$/;
/** dg's own line for a file it cannot parse: `<file>:<line> -  Unable to parse YAML: <what>`. */
const DG_YAML_LINE = /^(.+?\.ya?ml):(\d+) - +Unable to parse YAML: (?:None, )?(.*)$/;

/** A referenced env var set neither in the workspace's .env nor in the server's environment: a problem on each user. */
export function missingEnvProblems(
  project: ProjectFile,
  values: Record<string, string>,
  serverEnv: NodeJS.ProcessEnv = process.env,
): Problem[] {
  const labels = new Map(project.graph.nodes.map((n) => [n.id, n.data.label]));
  return referencedEnv(project)
    .filter((v) => v.required && values[v.name] === undefined && serverEnv[v.name] === undefined)
    .flatMap((v) =>
      v.usedBy.map((nodeId) => ({
        severity: 'error' as const,
        nodeId,
        message: `${labels.get(nodeId)}: the environment variable ${v.name} is not set.`,
        hint: `Set ${v.name} in the Environment panel (its value stays in the workspace's .env, never exported).`,
      })),
    );
}

/** Nodes by their label and by the top defs/ folder (or module) their files are in, for locating problems. */
export function nodesByFolder(nodes: readonly GraphNode[]): Map<string, GraphNode> {
  const map = new Map(nodes.map((n) => [n.data.label, n]));
  for (const n of nodes) {
    const top = nodeLocation(n).folder.split('/')[0] || nodeLocation(n).path;
    if (!map.has(top)) map.set(top, n);
  }
  return map;
}

/** Turns a problem reported against a file or folder into one on the node that owns that folder. */
export function attachToNode(
  problem: RawProblem,
  nodeByFolder: Map<string, GraphNode>,
  defsRelative: string,
): Problem {
  const folder =
    problem.folder ?? (problem.file ? /(?:^|\/)defs\/([^/]+)\//.exec(problem.file)?.[1] : undefined);
  // A file under defs/ belongs to the node that defines it (a Python module, one of several components).
  const inDefs = problem.file?.startsWith(`${defsRelative}/`)
    ? problem.file.slice(defsRelative.length + 1)
    : null;
  const node =
    (problem.folder ? nodeByFolder.get(problem.folder) : undefined) ??
    (inDefs ? ownerOf([...new Set(nodeByFolder.values())], { path: inDefs }) : undefined) ??
    (folder ? nodeByFolder.get(folder) : undefined);
  const out: Problem = {
    severity: problem.severity,
    message: node ? `${node.data.label}: ${problem.message}` : problem.message,
  };
  if (node) out.nodeId = node.id;
  out.file = problem.file ?? (folder ? `${defsRelative}/${folder}/defs.yaml` : undefined);
  if (out.file === undefined) delete out.file;
  if (problem.line) out.line = problem.line;
  if (problem.field) out.field = problem.field;
  const hint = hintFor(problem);
  if (hint) out.hint = hint;
  return out;
}

function hintFor(problem: RawProblem): string | undefined {
  if (problem.missing_module) {
    const lib = problem.missing_module.split('.')[0]!;
    return lib.startsWith('dagster_')
      ? `Add the library: uv add ${lib.replace(/_/g, '-')} (the designer does this for pinned libraries).`
      : `Python cannot import "${problem.missing_module}": add it to the project (uv add …) or fix the import.`;
  }
  const m = problem.message;
  if (/Field required|is a required property/.test(m))
    return 'Fill the required field in the Attributes form.';
  if (/Additional properties are not allowed/.test(m))
    return 'Remove the unknown field (check its spelling against the form).';
  if (/env var|environment variable/i.test(m))
    return 'Set the environment variable before previewing or running.';
  if (/dbt_project\.yml|dbt parse|DbtProject/i.test(m))
    return 'Check the dbt project path and that `dbt parse` succeeds in it.';
  if (/YAML|yaml/.test(m) && /pars|scan/i.test(m)) return 'Fix the YAML syntax at the given line.';
  return undefined;
}

const TRACEBACK_FRAME = /File "([^"]+)", line (\d+)/g;

/** Turns the output of a failed `dg check …` into Problems: `file:line - type message` lines, else the error itself. */
export function dgProblems(output: string, project: ProjectFile, root: string, command: string): Problem[] {
  const nodeByFolder = nodesByFolder(project.graph.nodes);
  const defsRelative = path.relative(root, defsDirOf(root, project.package_name));
  const problems: Problem[] = [];
  for (const line of output.split('\n')) {
    const y = DG_YAML_LINE.exec(line.trim());
    const m = y ? [y[0], y[1], y[2], '', `YAML syntax error: ${y[3]}`] : DG_CHECK_LINE.exec(line.trim());
    if (!m) continue;
    const file = path.isAbsolute(m[1]!) ? path.relative(root, m[1]!) : m[1]!;
    problems.push(
      attachToNode(
        { severity: 'error', message: m[4]!, file, line: Number(m[2]) },
        nodeByFolder,
        defsRelative,
      ),
    );
  }
  if (problems.length === 0)
    problems.push(loadErrorProblem(output, root, command, nodeByFolder, defsRelative));
  return problems;
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
const ANSI = /\u001b\[[0-9;]*m/g;
const YAML_AT = /at (\S+\.ya?ml):(\d+)/;
/** PyYAML's errors: `yaml.parser.ParserError: <what>` then marks `in "<file>", line N, column M:`. */
const PYYAML_ERROR = /^yaml\.(?:\w+\.)*\w+Error: ([\s\S]*)$/m;
const PYYAML_MARK = /in "([^"]+\.ya?ml)", line (\d+), column \d+/;

/** A failed load: Dagster's root cause ("The above exception was caused by…"), located at its defs.yaml line. */
function loadErrorProblem(
  raw: string,
  root: string,
  command: string,
  nodeByFolder: Map<string, GraphNode>,
  defsRelative: string,
): Problem {
  const output = raw.replace(ANSI, '');
  const blocks = output.split('The above exception was caused by the following exception:');
  const cause = blocks[blocks.length - 1]!.split('Stack Trace:')[0]!.trim();
  const headline = blocks[0]!
    .split('\n')
    .find((l) => /Error|Exception/.test(l) && !/ - dagster - ERROR/.test(l))
    ?.trim();
  const message = (
    cause && blocks.length > 1 ? cause : (headline ?? output.trim().split('\n').slice(-3).join(' '))
  )
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.includes('errors.pydantic.dev'))
    .slice(0, 4)
    .join(' ')
    .replace(/\s+/g, ' ');
  const yamlError = PYYAML_ERROR.exec(output);
  const mark = yamlError && PYYAML_MARK.exec(yamlError[1]!);
  if (yamlError && mark) {
    // A YAML syntax error: its words (not the traceback line that raised it), at the file and line it began.
    const words = yamlError[1]!.split('\n').filter((l) => l.trim() !== '' && !/^\s/.test(l));
    const file = path.isAbsolute(mark[1]!) ? path.relative(root, mark[1]!) : mark[1]!;
    const raw = { severity: 'error' as const, file, line: Number(mark[2]) };
    return attachToNode(
      { ...raw, message: `${command}: YAML syntax error: ${words.join('; ')}` },
      nodeByFolder,
      defsRelative,
    );
  }
  const problem: RawProblem = { severity: 'error', message: `${command}: ${message}` };
  const at = YAML_AT.exec(output);
  if (at) {
    problem.file = path.isAbsolute(at[1]!) ? path.relative(root, at[1]!) : at[1]!;
    problem.line = Number(at[2]);
  } else {
    const folder = /loading component ([a-z][a-z0-9_]*)/.exec(output)?.[1];
    if (folder && nodeByFolder.has(folder)) problem.folder = folder;
    else {
      const frames = [...output.matchAll(TRACEBACK_FRAME)].filter(
        (f) => f[1]!.startsWith(root) && !f[1]!.includes(`${path.sep}.venv${path.sep}`),
      );
      const last = frames[frames.length - 1];
      if (last) {
        problem.file = path.relative(root, last[1]!);
        problem.line = Number(last[2]);
      }
    }
  }
  return attachToNode(problem, nodeByFolder, defsRelative);
}
