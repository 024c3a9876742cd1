// The files a node points at (a script, a SQL template): a starter written when one is missing, a file that
// follows its node's rename, and the list the inspector checks.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  nodeFiles,
  nodeLocation,
  pathProblem,
  readCheckSpecs,
  starterFiles,
  type CheckSpec,
  type GraphNode,
  type ProjectFile,
} from '@designer/shared';
import { writeFileInside } from '../atomic-file.js';
import { renameInside } from '../../lib/safe-path.js';
import type { ScriptRef } from '../inspector.js';
import { defsDirOf } from './state.js';

/**
 * `dg scaffold defs` writes neither a script for `dagster.PythonScriptComponent` nor a SQL file for
 * `dagster.TemplatedSqlComponent`: the designer writes a starter next to the defs.yaml when the node names a
 * file that does not exist yet. A starter nobody has edited follows the node (its checks, a rename: give the
 * label sync last wrote as `previousLabel`); a file that differs from every starter is the user's, never touched.
 */
export async function writeStarterFiles(
  node: GraphNode,
  dir: string,
  root = dir,
  previousLabel?: string,
): Promise<string[]> {
  const label = node.data.label;
  const keys = ((node.data.attributes.assets as Array<{ key?: unknown }> | undefined) ?? [])
    .map((a) => (typeof a.key === 'string' ? a.key : null))
    .filter((k): k is string => k !== null);
  const written: string[] = [];
  for (const ref of starterFiles(node)) {
    const file = path.join(dir, ref.path);
    const script = ref.language === 'python';
    const text = script
      ? starterScript(label, keys, readCheckSpecs(node.data.attributes))
      : starterSql(label, keys);
    if (existsSync(file)) {
      const current = await fs.readFile(file, 'utf8').catch(() => null);
      if (current === null || current === text) continue;
      // Dagster fails a run whose script does not report every declared check, so a check added in the Checks tab
      // must reach an untouched starter; after a rename, so must the new name (the SQL's table, the script's log).
      const untouched = earlierNames(label, keys, previousLabel).some((was) =>
        script
          ? isUntouchedStarter(current, was.label, was.keys)
          : current === starterSql(was.label, was.keys),
      );
      if (!untouched) continue;
    }
    await writeFileInside(root, file, text);
    written.push(file);
  }
  return written;
}

/**
 * The label and keys a starter on disk may have been written for: the node's own, and, after a rename, the old
 * label with the default key that followed it (shared `followRename` turns a key equal to the label into the new one).
 */
export function earlierNames(
  label: string,
  keys: string[],
  previousLabel?: string,
): Array<{ label: string; keys: string[] }> {
  const names = [{ label, keys }];
  if (previousLabel && previousLabel !== label) {
    names.push({ label: previousLabel, keys });
    if (keys.includes(label))
      names.push({ label: previousLabel, keys: keys.map((k) => (k === label ? previousLabel : k)) });
  }
  return names;
}

const CHECKS_COMMENT =
  '    # The checks of this node (its Checks tab): replace True with your test; metadata tells why one failed.';
const CHECK_REPORT_LINE =
  /^ {4}context\.report_asset_check\(check_name="[^"\n]*", passed=True(, asset_key="[^"\n]*")?\)$/;

/** Whether a script is the designer's starter for this label and keys, as written, whatever checks it reported. */
export function isUntouchedStarter(text: string, label: string, keys: string[]): boolean {
  const body = text
    .split('\n')
    .filter((line) => line !== CHECKS_COMMENT && !CHECK_REPORT_LINE.test(line))
    .join('\n');
  return body === starterScript(label, keys, []);
}

/** A check the node declares, reported by the starter (passing until the user writes the test) so runs evaluate it. */
const checkReport = (c: CheckSpec, keys: string[]) =>
  `    context.report_asset_check(check_name=${JSON.stringify(c.name)}, passed=True${keys.length > 1 ? `, asset_key=${JSON.stringify(c.asset)}` : ''})`;

function starterScript(label: string, keys: string[], checks: CheckSpec[]): string {
  const report =
    keys.length > 1
      ? keys.map(
          (k) =>
            `    context.report_asset_materialization(asset_key=${JSON.stringify(k)}, metadata={"rows": 0})`,
        )
      : ['    context.report_asset_materialization(metadata={"rows": 0})'];
  return [
    `"""${label}: materializes ${keys.length ? keys.join(', ') : 'its assets'}.`,
    '',
    'Dagster runs this script in a subprocess (Dagster Pipes): log through `context`, report what you wrote.',
    '"""',
    '',
    'from dagster_pipes import open_dagster_pipes',
    '',
    'with open_dagster_pipes() as context:',
    `    context.log.info("Running ${label}")`,
    '    # Your code here: extract, transform, load.',
    ...report,
    ...(checks.length ? [CHECKS_COMMENT] : []),
    ...checks.map((c) => checkReport(c, keys)),
    '',
  ].join('\n');
}

function starterSql(label: string, keys: string[]): string {
  const table = (keys[0] ?? label)
    .split('/')
    .pop()!
    .replace(/[^A-Za-z0-9_]/g, '_');
  return [
    `-- ${label}: the SQL Dagster runs to materialize ${keys.length ? keys.join(', ') : 'its assets'}.`,
    "-- It runs on the component's connection; {{ name }} is replaced from template_vars (Jinja).",
    `create or replace table ${table} as`,
    'select 1 as id',
    '',
  ].join('\n');
}

/**
 * A file a node points at whose name changed in its attributes (the default `<label>.py` following a node
 * rename): the file moves too, inside the node's folder, when the old one is there and the new name is free.
 * Never overwrites, never follows a link out of the project. Answers the files moved (new paths).
 */
export async function followFileRenames(
  previous: Record<string, string> | undefined,
  node: GraphNode,
  dir: string,
  root: string,
): Promise<string[]> {
  const moved: string[] = [];
  for (const ref of nodeFiles(node)) {
    const old = previous?.[ref.field];
    if (!old || old === ref.path || pathProblem(old) !== null) continue;
    const from = path.join(dir, old);
    const to = path.join(dir, ref.path);
    const source = await fs.lstat(from).catch(() => null);
    if (!source?.isFile() || existsSync(to)) continue;
    await renameInside(root, from, to);
    moved.push(to);
  }
  return moved;
}

/** The files nodes point at (scripts, SQL templates), relative to the workspace, for the inspector to check. */
export function scriptRefs(project: ProjectFile, root: string): ScriptRef[] {
  const defsRelative = path.relative(root, defsDirOf(root, project.package_name));
  return project.graph.nodes.flatMap((node) =>
    nodeFiles(node).map((f) => ({
      folder: node.data.label,
      path: path.posix.join(defsRelative.split(path.sep).join('/'), nodeLocation(node).folder, f.path),
      field: f.field,
    })),
  );
}
