// Asset checks (issue 15, item 5): the check specs a node declares where its component takes them (`checks:` of
// Dagster's executable components), and a check's last result on the local instance, as the UI shows it.
import { Type, type Static } from '@sinclair/typebox';

/** Components whose `attributes.checks` is a list of asset check specs (dagster ExecutableComponent). */
export const CHECK_SPEC_COMPONENTS: readonly string[] = [
  'dagster.PythonScriptComponent',
  'dagster.UvRunComponent',
  'dagster.FunctionComponent',
];
export const supportsCheckSpecs = (componentType: string) => CHECK_SPEC_COMPONENTS.includes(componentType);

/** One entry of `checks:` (Dagster's AssetCheckSpec in YAML: name, asset, description, blocking, metadata…). */
export interface CheckSpec {
  name: string;
  /** The checked asset's key, `a/b`. */
  asset: string;
  description?: string;
  /** A failing blocking check (severity ERROR) stops the run's downstream steps. */
  blocking?: boolean;
}

export const CHECK_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const keyText = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v
    : Array.isArray(v) && v.every((p) => typeof p === 'string')
      ? v.join('/')
      : undefined;

/** The node's check specs; entries the designer cannot read (no name or asset) are left out. */
export function readCheckSpecs(attributes: Record<string, unknown>): CheckSpec[] {
  const raw = attributes.checks;
  if (!Array.isArray(raw)) return [];
  const out: CheckSpec[] = [];
  for (const entry of raw) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const asset = keyText(e.asset);
    if (typeof e.name !== 'string' || asset === undefined) continue;
    const spec: CheckSpec = { name: e.name, asset };
    if (typeof e.description === 'string' && e.description.trim()) spec.description = e.description;
    if (e.blocking === true) spec.blocking = true;
    out.push(spec);
  }
  return out;
}

/**
 * The attributes with `checks` set to `specs` (the key removed when there are none). Keys the designer does not
 * edit on an existing entry of the same name and asset (metadata, additional_deps, automation_condition) stay.
 */
export function writeCheckSpecs(
  attributes: Record<string, unknown>,
  specs: readonly CheckSpec[],
): Record<string, unknown> {
  const { checks: before, ...rest } = attributes;
  if (specs.length === 0) return rest;
  const old = Array.isArray(before) ? (before as Array<Record<string, unknown>>) : [];
  const checks = specs.map((s) => {
    const kept = old.find((o) => o && o.name === s.name && keyText(o.asset) === s.asset) ?? {};
    const { description: _d, blocking: _b, ...other } = kept;
    const entry: Record<string, unknown> = { ...other, name: s.name, asset: s.asset };
    if (s.description?.trim()) entry.description = s.description;
    if (s.blocking) entry.blocking = true;
    return entry;
  });
  return { ...rest, checks };
}

/** What is wrong with a node's check specs, in words, for its own assets `assetKeys` (empty: all fine). */
export function checkSpecProblems(
  specs: readonly CheckSpec[],
  assetKeys: readonly string[],
): Array<{ index: number; message: string }> {
  const out: Array<{ index: number; message: string }> = [];
  const seen = new Set<string>();
  specs.forEach((s, index) => {
    if (!CHECK_NAME_PATTERN.test(s.name))
      out.push({
        index,
        message: `"${s.name}" is not a check name (letters, digits and _; not a digit first).`,
      });
    if (!assetKeys.includes(s.asset))
      out.push({
        index,
        message: `${s.asset || '(no asset)'} is not an asset of this node${assetKeys.length ? ` (${assetKeys.join(', ')})` : ''}.`,
      });
    const id = `${s.asset}:${s.name}`;
    if (seen.has(id)) out.push({ index, message: `${s.asset} has two checks named ${s.name}.` });
    seen.add(id);
  });
  return out;
}

/** A check name not used yet on `asset` (`check`, `check_2`, …). */
export function newCheckName(specs: readonly CheckSpec[], asset: string, base = 'check'): string {
  const taken = new Set(specs.filter((s) => s.asset === asset).map((s) => s.name));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}_${n}`)) n += 1;
  return `${base}_${n}`;
}

/*
 * Results. Dagster's AssetCheckExecutionResolvedStatus is SUCCEEDED, FAILED (the check said no), EXECUTION_FAILED
 * (the step raised), IN_PROGRESS or SKIPPED; a check that never ran has no execution.
 */
export const CheckStatus = Type.Union([
  Type.Literal('passed'),
  Type.Literal('failed'),
  Type.Literal('error'),
  Type.Literal('running'),
  Type.Literal('skipped'),
  Type.Literal('not_run'),
]);
export type CheckStatus = Static<typeof CheckStatus>;

export const CheckSeverity = Type.Union([Type.Literal('ERROR'), Type.Literal('WARN')]);

/** One evaluation, as the check reported it (also carried by a run's `AssetCheckEvaluationEvent`). */
export const CheckEvaluation = Type.Object({
  asset: Type.String(),
  name: Type.String(),
  passed: Type.Boolean(),
  severity: CheckSeverity,
  /** What the check said about this result (Dagster's evaluation description). */
  description: Type.Optional(Type.String()),
  metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type CheckEvaluation = Static<typeof CheckEvaluation>;

export const AssetCheckResult = Type.Object({
  /** `<asset>:<name>`, as the preview's checks are keyed. */
  key: Type.String(),
  asset: Type.String(),
  name: Type.String(),
  blocking: Type.Boolean(),
  /** The spec's description. */
  description: Type.Optional(Type.String()),
  status: CheckStatus,
  evaluation: Type.Optional(CheckEvaluation),
  runId: Type.Optional(Type.String()),
  /** ISO 8601: when the last execution started. */
  at: Type.Optional(Type.String()),
  nodeId: Type.Optional(Type.String()),
});
export type AssetCheckResult = Static<typeof AssetCheckResult>;

export const AssetCheckResults = Type.Object({
  /** The local instance's state: results are listed only once it is ready (a request starts it). */
  instance: Type.Union([
    Type.Literal('stopped'),
    Type.Literal('starting'),
    Type.Literal('ready'),
    Type.Literal('failed'),
  ]),
  checks: Type.Array(AssetCheckResult),
});
export type AssetCheckResults = Static<typeof AssetCheckResults>;

/** Dagster's resolved execution status (and, once evaluated, whether it passed) as the designer's. */
export function checkStatusOf(status: string | undefined, passed?: boolean): CheckStatus {
  switch (status) {
    case 'SUCCEEDED':
      return 'passed';
    case 'FAILED':
      return 'failed';
    case 'EXECUTION_FAILED':
      return 'error';
    case 'IN_PROGRESS':
      return 'running';
    case 'SKIPPED':
      return 'skipped';
    default:
      return passed === undefined ? 'not_run' : passed ? 'passed' : 'failed';
  }
}

/** A failed check whose failure stops downstream steps: blocking and an ERROR result. */
export const blocksDownstream = (r: Pick<AssetCheckResult, 'blocking' | 'status' | 'evaluation'>) =>
  r.blocking && r.status === 'failed' && (r.evaluation?.severity ?? 'ERROR') === 'ERROR';

/** Why a check failed, in one paragraph: its result's description, then its metadata as `label: value`. */
export function checkFailureReason(evaluation: CheckEvaluation | undefined): string {
  if (!evaluation) return '';
  const lines: string[] = [];
  if (evaluation.description?.trim()) lines.push(evaluation.description.trim());
  for (const [label, value] of Object.entries(evaluation.metadata ?? {}))
    lines.push(`${label}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return lines.join('\n');
}

/** A node's badge: how many of its checks failed (worst first) or passed; undefined when none ran. */
export function checksBadge(
  results: ReadonlyArray<Pick<AssetCheckResult, 'status' | 'blocking' | 'evaluation'>>,
): { tone: 'failed' | 'warn' | 'passed' | 'running'; text: string } | undefined {
  const failed = results.filter((r) => r.status === 'failed' || r.status === 'error');
  const errors = failed.filter((r) => r.status === 'error' || r.evaluation?.severity !== 'WARN');
  const passed = results.filter((r) => r.status === 'passed').length;
  const ran = failed.length + passed;
  if (failed.length > 0)
    return {
      tone: errors.length > 0 ? 'failed' : 'warn',
      text: `checks ${failed.length}/${ran} failed`,
    };
  if (results.some((r) => r.status === 'running')) return { tone: 'running', text: 'checks running' };
  if (passed > 0) return { tone: 'passed', text: `checks ${passed}/${passed} passed` };
  return undefined;
}
