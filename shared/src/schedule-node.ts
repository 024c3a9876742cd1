// Schedule nodes (format 3): a node of `type: "schedule"` is a defs folder whose defs.yaml uses a project-local
// component that runs a target: `ScheduledJobComponent` (an asset job + its cron schedule) or `AssetSensorJobComponent`
// (an asset job + an asset sensor on an asset outside the target). Its target is the assets of the nodes it has edges
// to, plus an optional asset-selection string; an edge out of such a node is never a dependency.
import type { Problem } from './api.js';
import type { ManagedDefs } from './defs-mapping.js';
import type { GraphEdge, GraphNode } from './project-file/schema.js';
import { parseCron, isTimeZone } from './cron.js';

/** Module of the component, inside the project's package (`<pkg>.components.scheduled_job`). */
export const SCHEDULE_COMPONENT_MODULE = 'components.scheduled_job';
export const scheduleComponentType = (packageName: string) =>
  `${packageName}.${SCHEDULE_COMPONENT_MODULE}.ScheduledJobComponent`;
/** A component type added from the palette's Schedule entry (or the project's own listing of it): a schedule node. */
export const isScheduleComponentType = (type: string) =>
  type.endsWith(`.${SCHEDULE_COMPONENT_MODULE}.ScheduledJobComponent`);

/** Module of the asset sensor's component, inside the project's package (`<pkg>.components.asset_sensor_job`). */
export const ASSET_SENSOR_COMPONENT_MODULE = 'components.asset_sensor_job';
export const assetSensorComponentType = (packageName: string) =>
  `${packageName}.${ASSET_SENSOR_COMPONENT_MODULE}.AssetSensorJobComponent`;
export const isAssetSensorComponentType = (type: string) =>
  type.endsWith(`.${ASSET_SENSOR_COMPONENT_MODULE}.AssetSensorJobComponent`);
/** The component types of `schedule` nodes (nodes that run the assets they have edges to): a schedule, an asset sensor. */
export const runsTargetsComponentType = (type: string) =>
  isScheduleComponentType(type) || isAssetSensorComponentType(type);

export interface ScheduleAttributes {
  cron_schedule: string;
  execution_timezone: string;
  default_status: 'RUNNING' | 'STOPPED';
  /** Extra targets in Dagster's selection syntax (`group:x`, `kind:dbt`, `tag:t`, `+key`), or'ed with the edges'. */
  asset_selection?: string;
  description?: string;
}

export const DEFAULT_SCHEDULE: ScheduleAttributes = {
  cron_schedule: '0 6 * * *',
  execution_timezone: 'UTC',
  default_status: 'STOPPED',
};

export interface AssetSensorAttributes {
  /** The watched asset (`a/b`): a materialization of it requests a run of the target. */
  asset_key: string;
  default_status: 'RUNNING' | 'STOPPED';
  /** How often the daemon evaluates the sensor (Dagster's default: 30 s). */
  minimum_interval_seconds?: number;
  asset_selection?: string;
  description?: string;
}

export const DEFAULT_ASSET_SENSOR: AssetSensorAttributes = { asset_key: '', default_status: 'STOPPED' };

/** A new `schedule` node's attributes, by its component type. */
export const defaultScheduleNodeAttributes = (type: string): Record<string, unknown> =>
  isAssetSensorComponentType(type) ? { ...DEFAULT_ASSET_SENSOR } : { ...DEFAULT_SCHEDULE };

/** Dagster names: the schedule (or sensor) is the node's label, its job `<label>_job`. */
export const scheduleJobName = (label: string) => `${label}_job`;

type NodeLike = Pick<GraphNode, 'id' | 'type' | 'data'>;

export const isScheduleNode = (node: Pick<GraphNode, 'type'> | undefined) => node?.type === 'schedule';

/** The nodes a schedule targets (its outgoing edges). */
export const scheduleTargets = (
  scheduleId: string,
  edges: readonly Pick<GraphEdge, 'source' | 'target'>[],
): string[] => edges.filter((e) => e.source === scheduleId).map((e) => e.target);

const quoteKey = (key: string) => `key:${JSON.stringify(key)}`;

/** The selection the job runs: the targeted nodes' keys, or'ed with the node's own selection string. */
export function scheduleSelection(targetKeys: readonly string[], extra: string | undefined): string {
  const parts = [...new Set(targetKeys)].map(quoteKey);
  const own = extra?.trim();
  if (own) parts.push(parts.length > 0 ? `(${own})` : own);
  return parts.join(' or ');
}

export function readAssetSensorAttributes(attributes: Record<string, unknown>): AssetSensorAttributes {
  const out: AssetSensorAttributes = {
    asset_key: typeof attributes.asset_key === 'string' ? attributes.asset_key : '',
    default_status: attributes.default_status === 'RUNNING' ? 'RUNNING' : 'STOPPED',
  };
  const interval = attributes.minimum_interval_seconds;
  if (typeof interval === 'number' && Number.isInteger(interval) && interval > 0)
    out.minimum_interval_seconds = interval;
  if (typeof attributes.asset_selection === 'string' && attributes.asset_selection.trim())
    out.asset_selection = attributes.asset_selection;
  if (typeof attributes.description === 'string' && attributes.description.trim())
    out.description = attributes.description;
  return out;
}

export function readScheduleAttributes(attributes: Record<string, unknown>): ScheduleAttributes {
  const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
  const out: ScheduleAttributes = {
    cron_schedule: text(attributes.cron_schedule, DEFAULT_SCHEDULE.cron_schedule),
    execution_timezone: text(attributes.execution_timezone, DEFAULT_SCHEDULE.execution_timezone),
    default_status: attributes.default_status === 'RUNNING' ? 'RUNNING' : 'STOPPED',
  };
  if (typeof attributes.asset_selection === 'string' && attributes.asset_selection.trim())
    out.asset_selection = attributes.asset_selection;
  if (typeof attributes.description === 'string' && attributes.description.trim())
    out.description = attributes.description;
  return out;
}

const ASSET_KEY_TEXT = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

/**
 * The defs.yaml a schedule node manages, and what is wrong with it (bad cron or zone, no target); an asset sensor's
 * (no watched asset, or one its own target materializes) when the node uses the AssetSensorJobComponent.
 */
export function buildScheduleDefs(
  node: NodeLike,
  targetKeys: readonly string[],
): { defs: ManagedDefs; problems: Problem[] } {
  const sensor = isAssetSensorComponentType(node.data.component_type);
  const a = readScheduleAttributes(node.data.attributes);
  const problems: Problem[] = [];
  const problem = (message: string, hint: string, field?: string) =>
    problems.push({
      severity: 'error',
      nodeId: node.id,
      message: `${node.data.label}: ${message}`,
      hint,
      ...(field ? { field } : {}),
    });
  if (sensor) return buildAssetSensorDefs(node, targetKeys, problems, problem);
  const cron = parseCron(a.cron_schedule);
  if (!cron.ok) problem(cron.error, 'Pick a schedule in the builder or fix the expression.', 'cron_schedule');
  if (!isTimeZone(a.execution_timezone))
    problem(
      `"${a.execution_timezone}" is not a time zone.`,
      'Pick an IANA time zone (e.g. Europe/Paris, UTC).',
      'execution_timezone',
    );
  const selection = targetSelection(node, targetKeys, a.asset_selection, problems, 'schedule');
  const attributes: Record<string, unknown> = {
    job_name: scheduleJobName(node.data.label),
    schedule_name: node.data.label,
    cron_schedule: a.cron_schedule,
    execution_timezone: a.execution_timezone,
    asset_selection: selection,
    default_status: a.default_status,
  };
  if (a.description) attributes.description = a.description;
  return { defs: { type: node.data.component_type, attributes }, problems };
}

/** The selection a schedule node runs; a warning when it has none. */
function targetSelection(
  node: NodeLike,
  targetKeys: readonly string[],
  extra: string | undefined,
  problems: Problem[],
  what: 'schedule' | 'sensor',
): string {
  const selection = scheduleSelection(targetKeys, extra);
  if (selection === '')
    problems.push({
      severity: 'warning',
      nodeId: node.id,
      message: `${node.data.label}: this ${what} has no target, so it defines nothing yet.`,
      hint: `Connect it to the nodes it should run, or type an asset selection (group:…, kind:dbt, tag:…).`,
    });
  return selection;
}

function buildAssetSensorDefs(
  node: NodeLike,
  targetKeys: readonly string[],
  problems: Problem[],
  problem: (message: string, hint: string, field?: string) => void,
): { defs: ManagedDefs; problems: Problem[] } {
  const a = readAssetSensorAttributes(node.data.attributes);
  const watched = a.asset_key.trim();
  if (!watched)
    problem(
      'no asset to watch.',
      'Type the key of the asset whose materializations start a run (a/b).',
      'asset_key',
    );
  else if (!ASSET_KEY_TEXT.test(watched))
    problem(
      `"${watched}" is not an asset key.`,
      'Write the key as its parts joined by "/" (raw/orders).',
      'asset_key',
    );
  else if (targetKeys.includes(watched))
    problem(
      `it watches ${watched}, which its own run materializes: every run would start the next one.`,
      'Watch an asset outside what this sensor runs.',
      'asset_key',
    );
  const selection = targetSelection(node, targetKeys, a.asset_selection, problems, 'sensor');
  const attributes: Record<string, unknown> = {
    job_name: scheduleJobName(node.data.label),
    sensor_name: node.data.label,
    asset_key: watched,
    asset_selection: selection,
    default_status: a.default_status,
  };
  if (a.minimum_interval_seconds) attributes.minimum_interval_seconds = a.minimum_interval_seconds;
  if (a.description) attributes.description = a.description;
  return { defs: { type: node.data.component_type, attributes }, problems };
}

export interface SelectableAsset {
  key: string;
  group_name?: string;
  kinds?: string[];
  tags?: Record<string, string>;
}

/**
 * What an asset-selection string names that the last preview's assets do not have (a key, group, kind or tag),
 * in words; empty when every term matches something. Operators (`or`, `and`, `not`, parentheses, `+`, `*`,
 * `roots(…)`, `sinks(…)`) pass; only the named things are checked.
 */
export function selectionProblems(selection: string, assets: readonly SelectableAsset[]): string[] {
  const out: string[] = [];
  const terms = selection.match(/[A-Za-z_]+:(?:"[^"]*"|[^\s()]+)|[^\s()]+/g) ?? [];
  for (const raw of terms) {
    const term = raw.replace(/^\d*\+/, '').replace(/\+\d*$/, '');
    if (/^(or|and|not|\*|roots|sinks|upstream|downstream)$/i.test(term) || term === '') continue;
    const m = /^([A-Za-z_]+):(.*)$/.exec(term);
    const kind = m ? m[1]!.toLowerCase() : 'key';
    const value = (m ? m[2]! : term).replace(/^"(.*)"$/, '$1');
    const has = (pred: (a: SelectableAsset) => boolean) => assets.some(pred);
    const glob = new RegExp(`^${value.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const ok =
      kind === 'key'
        ? has((a) => glob.test(a.key))
        : kind === 'group'
          ? has((a) => a.group_name !== undefined && glob.test(a.group_name))
          : kind === 'kind'
            ? has((a) => (a.kinds ?? []).some((k) => glob.test(k)))
            : kind === 'tag'
              ? has((a) => {
                  const [k, v] = value.split('=');
                  return Object.entries(a.tags ?? {}).some(
                    ([tk, tv]) => tk === k && (v === undefined || tv === v),
                  );
                })
              : true; // owner:, code_location:, … are not checked here
    if (!ok) out.push(`no asset matches ${kind}:${value}`);
  }
  return out;
}

/**
 * A schedule node's attributes from the defs.yaml document of an imported project (what `buildScheduleDefs` wrote,
 * or a hand-written ScheduledJobComponent / AssetSensorJobComponent document): the names follow the node's label,
 * so only the user's choices are kept.
 */
export function scheduleNodeAttributes(
  type: string,
  written: Record<string, unknown>,
): Record<string, unknown> {
  const { job_name: _job, schedule_name: _schedule, sensor_name: _sensor, ...rest } = written;
  const read: object = isAssetSensorComponentType(type)
    ? readAssetSensorAttributes(rest)
    : readScheduleAttributes(rest);
  return { ...read };
}

/** The top-level `or` terms of a selection string (not inside parentheses or quotes). */
function orTerms(selection: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < selection.length; i += 1) {
    const c = selection[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth += 1;
    else if (!quoted && c === ')') depth -= 1;
    else if (!quoted && depth === 0 && /^\sor\s/i.test(selection.slice(i, i + 4))) {
      terms.push(selection.slice(start, i).trim());
      start = i + 4;
      i += 3;
    }
  }
  terms.push(selection.slice(start).trim());
  return terms.filter(Boolean);
}

/** `(…)` around the whole text, not `(a) and (b)`. */
function wrapped(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '(') depth += 1;
    else if (text[i] === ')') depth -= 1;
    if (depth === 0 && i < text.length - 1) return false;
  }
  return true;
}

/**
 * The reverse of `scheduleSelection` on import: the nodes whose every asset key the selection names with a
 * top-level `key:"…"` term become targets (edges), and what is left stays the node's own selection.
 */
export function targetsFromSelection(
  selection: string,
  keysByNode: ReadonlyMap<string, readonly string[]>,
): { targets: string[]; rest: string } {
  const terms = orTerms(selection);
  const named = new Set<string>();
  for (const t of terms) {
    const m = /^key:"([^"]+)"$/.exec(t);
    if (m) named.add(m[1]!);
  }
  const targets: string[] = [];
  const covered = new Set<string>();
  for (const [id, keys] of keysByNode)
    if (keys.length > 0 && keys.every((k) => named.has(k))) {
      targets.push(id);
      for (const k of keys) covered.add(k);
    }
  const left = terms.filter((t) => {
    const m = /^key:"([^"]+)"$/.exec(t);
    return !(m && covered.has(m[1]!));
  });
  // The designer writes its own selection in parentheses after the keys: unwrap it when it is all that is left.
  const rest = left.length === 1 && wrapped(left[0]!) ? left[0]!.slice(1, -1).trim() : left.join(' or ');
  return { targets, rest };
}
