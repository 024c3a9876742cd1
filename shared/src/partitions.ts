// Partitions per node (issue 15, item 3): the choices of the Partitions section and the `partitions_def` they write
// (into the node's translation, which sync puts on each asset or in a `*` post-processing rule, like
// automation_condition). Dagster 1.13 components resolve a structured `partitions_def` (`type: hourly|daily|weekly`
// with `start_date`, `timezone`; `time_window`; `static` with `partition_keys`) but that form has no monthly type
// and no `end_offset`; for those the `{{ dg.MonthlyPartitionsDefinition(...) }}` template (DgScope) is written.
import { isTimeZone } from './cron.js';

export const TIME_PARTITION_KINDS = ['hourly', 'daily', 'weekly', 'monthly'] as const;
export type TimePartitionKind = (typeof TIME_PARTITION_KINDS)[number];

export type PartitionsChoice =
  | { kind: 'none' }
  | { kind: TimePartitionKind; startDate: string; timezone: string; endOffset: number }
  | { kind: 'static'; keys: string[] }
  /** A partitions_def the designer does not model (offsets, an end date, a custom template): kept as written. */
  | { kind: 'custom'; value: unknown };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const CLASS: Record<TimePartitionKind, string> = {
  hourly: 'HourlyPartitionsDefinition',
  daily: 'DailyPartitionsDefinition',
  weekly: 'WeeklyPartitionsDefinition',
  monthly: 'MonthlyPartitionsDefinition',
};
/** What Dagster's MonthlyPartitionsDefinition is as a time window (the structured form of an imported file). */
const MONTHLY_WINDOW = { cron_schedule: '0 0 1 * *', fmt: '%Y-%m-%d' };

/** The value written as `partitions_def`, or undefined for none. */
export function partitionsDefOf(choice: PartitionsChoice): unknown {
  switch (choice.kind) {
    case 'none':
      return undefined;
    case 'custom':
      return choice.value;
    case 'static':
      return { type: 'static', partition_keys: [...choice.keys] };
    default: {
      const utc = !choice.timezone || choice.timezone === 'UTC';
      if (choice.kind !== 'monthly' && choice.endOffset === 0)
        return {
          type: choice.kind,
          start_date: choice.startDate,
          ...(utc ? {} : { timezone: choice.timezone }),
        };
      const args = [`start_date=${quote(choice.startDate)}`];
      if (!utc) args.push(`timezone=${quote(choice.timezone)}`);
      if (choice.endOffset !== 0) args.push(`end_offset=${choice.endOffset}`);
      return `{{ dg.${CLASS[choice.kind]}(${args.join(', ')}) }}`;
    }
  }
}

const STRING_ARG = String.raw`'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"`;
const unquote = (s: string) => s.replace(/\\(.)/g, '$1');

function fromTemplate(template: string): PartitionsChoice | null {
  const inner = /^\{\{\s*dg\.(\w+)\(([\s\S]*)\)\s*\}\}$/.exec(template.trim());
  if (!inner) return null;
  const kind = TIME_PARTITION_KINDS.find((k) => CLASS[k] === inner[1]);
  const args = inner[2]!.trim();
  if (!kind) {
    if (inner[1] !== 'StaticPartitionsDefinition') return null;
    const list = /^(?:partition_keys\s*=\s*)?\[([\s\S]*)\]$/.exec(args);
    if (!list) return null;
    const keys: string[] = [];
    const item = new RegExp(`^\\s*(?:${STRING_ARG})\\s*(?:,|$)`);
    let rest = list[1]!.trim();
    while (rest !== '') {
      const m = item.exec(rest);
      if (!m) return null;
      keys.push(unquote(m[1] ?? m[2] ?? ''));
      rest = rest.slice(m[0].length).trim();
    }
    return { kind: 'static', keys };
  }
  const choice = { kind, startDate: '', timezone: 'UTC', endOffset: 0 };
  const arg = new RegExp(`^\\s*(\\w+)\\s*=\\s*(?:${STRING_ARG}|(-?\\d+))\\s*(?:,|$)`);
  let rest = args;
  while (rest !== '') {
    const m = arg.exec(rest);
    if (!m) return null;
    const text = m[2] ?? m[3];
    if (m[1] === 'start_date' && text !== undefined) choice.startDate = unquote(text);
    else if (m[1] === 'timezone' && text !== undefined) choice.timezone = unquote(text);
    else if (m[1] === 'end_offset' && m[4] !== undefined) choice.endOffset = Number(m[4]);
    else return null;
    rest = rest.slice(m[0].length).trim();
  }
  return choice.startDate ? choice : null;
}

function fromObject(value: Record<string, unknown>): PartitionsChoice | null {
  const known = (keys: string[]) => Object.keys(value).every((k) => keys.includes(k) || value[k] === 0);
  const timezone = typeof value.timezone === 'string' && value.timezone ? value.timezone : 'UTC';
  if (value.type === 'static') {
    const keys = value.partition_keys;
    if (
      !known(['type', 'partition_keys']) ||
      !Array.isArray(keys) ||
      !keys.every((k) => typeof k === 'string')
    )
      return null;
    return { kind: 'static', keys: [...keys] };
  }
  if (typeof value.start_date !== 'string') return null;
  if (
    (value.type === 'hourly' || value.type === 'daily' || value.type === 'weekly') &&
    known(['type', 'start_date', 'timezone'])
  )
    return { kind: value.type, startDate: value.start_date, timezone, endOffset: 0 };
  if (
    value.type === 'time_window' &&
    value.cron_schedule === MONTHLY_WINDOW.cron_schedule &&
    value.fmt === MONTHLY_WINDOW.fmt &&
    known(['type', 'start_date', 'timezone', 'cron_schedule', 'fmt'])
  )
    return { kind: 'monthly', startDate: value.start_date, timezone, endOffset: 0 };
  return null;
}

/** The choice a written `partitions_def` stands for; anything the designer does not model is `custom`. */
export function partitionsChoiceOf(value: unknown): PartitionsChoice {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
    return { kind: 'none' };
  const read = typeof value === 'string' ? fromTemplate(value) : isObject(value) ? fromObject(value) : null;
  return read ?? { kind: 'custom', value };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR = /^(\d{4})-(\d{2})-(\d{2})-(\d{2}):(\d{2})$/;
/** Characters Dagster refuses in a static partition key (INVALID_STATIC_PARTITIONS_KEY_CHARACTERS). */
const BAD_KEY_CHARS = ['|', ',', '[', ']'];

function realDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Whether `text` is a start date Dagster takes for this kind: YYYY-MM-DD (hourly also YYYY-MM-DD-HH:MM). */
export function isStartDate(text: string, kind: TimePartitionKind): boolean {
  const hour = kind === 'hourly' ? HOUR.exec(text) : null;
  const m = DATE.exec(text) ?? hour;
  if (!m) return false;
  if (hour && (Number(hour[4]) > 23 || Number(hour[5]) > 59)) return false;
  return realDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** What is wrong with a choice, in the user's words (empty when it can be written). */
export function partitionsProblems(choice: PartitionsChoice): string[] {
  const problems: string[] = [];
  if (choice.kind === 'static') {
    if (choice.keys.length === 0) problems.push('A static partition set needs at least one key.');
    if (choice.keys.some((k) => k.trim() === '')) problems.push('A partition key cannot be empty.');
    const bad = choice.keys.filter((k) => BAD_KEY_CHARS.some((c) => k.includes(c)));
    if (bad.length) problems.push(`Dagster refuses | , [ ] in partition keys: ${bad.join(' ')}.`);
    const seen = new Set<string>();
    const twice = choice.keys.filter((k) => (seen.has(k) ? true : (seen.add(k), false)));
    if (twice.length) problems.push(`Partition keys must be unique: ${[...new Set(twice)].join(', ')}.`);
  } else if (choice.kind !== 'none' && choice.kind !== 'custom') {
    if (!isStartDate(choice.startDate, choice.kind))
      problems.push(
        `The start date must be a real date written YYYY-MM-DD${choice.kind === 'hourly' ? ' (or YYYY-MM-DD-HH:MM)' : ''}.`,
      );
    if (choice.timezone && !isTimeZone(choice.timezone))
      problems.push(`Unknown time zone "${choice.timezone}" (an IANA name such as Europe/Paris).`);
    if (!Number.isInteger(choice.endOffset) || Math.abs(choice.endOffset) > 1000)
      problems.push('The end offset must be a whole number of partitions (0 = up to the last complete one).');
  }
  return problems;
}

/** The node badge: a few words on how its assets are partitioned, or null. */
export function partitionsBadge(value: unknown): string | null {
  const choice = partitionsChoiceOf(value);
  switch (choice.kind) {
    case 'none':
      return null;
    case 'custom':
      return 'partitioned';
    case 'static':
      return `${choice.keys.length} partition${choice.keys.length === 1 ? '' : 's'}`;
    default:
      return `${choice.kind} from ${choice.startDate}`;
  }
}

interface NodeData {
  component_type: string;
  attributes: Record<string, unknown>;
  translation?: Record<string, unknown>;
  post_processing?: Record<string, unknown>;
}

function ruleList(data: NodeData): Array<Record<string, unknown>> {
  const rules = data.post_processing?.assets;
  return Array.isArray(rules) ? rules.filter(isObject) : [];
}

/**
 * The partitions_def a node writes: the translation's (what the designer sets), else one its own attributes or
 * post-processing rules hold (an imported defs.yaml), so the Partitions section shows what the file says.
 */
export function nodePartitionsDef(data: NodeData): unknown {
  if (data.translation?.partitions_def !== undefined) return data.translation.partitions_def;
  const assets = Array.isArray(data.attributes.assets) ? data.attributes.assets.filter(isObject) : [];
  const own = assets.find((a) => a.partitions_def !== undefined)?.partitions_def;
  if (own !== undefined) return own;
  for (const rule of ruleList(data)) {
    const attrs = rule.attributes;
    if (isObject(attrs) && attrs.partitions_def !== undefined) return attrs.partitions_def;
  }
  return undefined;
}

/**
 * The node's data with this choice as its one partitions_def: written in the translation, and taken out of its
 * assets' attributes and post-processing rules (an imported file's), which would otherwise win over it.
 */
export function withPartitions<T extends NodeData>(data: T, choice: PartitionsChoice): T {
  const next = JSON.parse(JSON.stringify(data)) as T;
  const value = partitionsDefOf(choice);
  const translation = { ...(next.translation ?? {}) };
  if (value === undefined) delete translation.partitions_def;
  else translation.partitions_def = value;
  next.translation = translation;
  if (Array.isArray(next.attributes.assets))
    for (const asset of next.attributes.assets) if (isObject(asset)) delete asset.partitions_def;
  for (const rule of ruleList(next)) if (isObject(rule.attributes)) delete rule.attributes.partitions_def;
  return next;
}

/** dbt vars carrying a partition: the window of a time partition (or range), the key of a static one. */
export const DBT_PARTITION_VARS = {
  time: {
    min_date: "{{ partition_time_window.start.strftime('%Y-%m-%dT%H:%M:%S') }}",
    max_date: "{{ partition_time_window.end.strftime('%Y-%m-%dT%H:%M:%S') }}",
  },
  static: { partition_key: '{{ partition_key }}' },
} as const;

export const isDbtComponent = (componentType: string) => componentType === 'dagster_dbt.DbtProjectComponent';

/**
 * dagster-dbt 0.29's DbtProjectComponent resolves its `cli_args` at run time with `partition_key`,
 * `partition_key_range` and `partition_time_window` in scope: the partition reaches dbt as `--vars`. Answers the
 * cli_args with the designer's vars set (other args and vars kept), or without them for `none`, and a note.
 */
export function dbtCliArgsFor(
  cliArgs: unknown,
  choice: PartitionsChoice,
): { cliArgs: Array<string | Record<string, unknown>>; note: string } {
  const args: Array<string | Record<string, unknown>> = Array.isArray(cliArgs)
    ? (JSON.parse(JSON.stringify(cliArgs)) as Array<string | Record<string, unknown>>)
    : ['build'];
  const ours = new Set([...Object.keys(DBT_PARTITION_VARS.time), ...Object.keys(DBT_PARTITION_VARS.static)]);
  let holder = args.find((a): a is Record<string, unknown> => isObject(a) && isObject(a['--vars']));
  if (holder) {
    const vars = holder['--vars'] as Record<string, unknown>;
    for (const k of ours) delete vars[k];
    if (Object.keys(vars).length === 0) args.splice(args.indexOf(holder), 1);
  }
  const vars =
    choice.kind === 'static'
      ? DBT_PARTITION_VARS.static
      : choice.kind === 'none' || choice.kind === 'custom'
        ? null
        : DBT_PARTITION_VARS.time;
  if (!vars)
    return {
      cliArgs: args,
      note:
        choice.kind === 'custom'
          ? 'A custom partitions definition: the designer passes no vars to dbt; add them to cli_args yourself.'
          : '',
    };
  holder = args.find((a): a is Record<string, unknown> => isObject(a) && isObject(a['--vars']));
  if (holder) Object.assign(holder['--vars'] as Record<string, unknown>, vars);
  else args.push({ '--vars': { ...vars } });
  const names = Object.keys(vars).join(', ');
  return {
    cliArgs: args,
    note: `dbt gets ${names} as vars (cli_args). Each model must filter on them (var('${Object.keys(vars)[0]}')) to build one partition; a model that ignores them rebuilds the whole table for every partition.`,
  };
}

/** A partition key that looks like a date (time partitions' keys) but is no real date: answered as such. */
function badDateKey(key: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[-T ])/.exec(key);
  return m !== null && !realDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * What is wrong with a backfill request before any instance is asked (the keys' existence is checked against the
 * assets' definition later): one of a partition, a range, or missing only; dates that are dates; a range in order.
 */
export function backfillRequestProblem(request: {
  partition?: string;
  range?: { start: string; end: string };
  missingOnly?: boolean;
}): { code: string; message: string; hint: string } | null {
  if (request.partition !== undefined && (request.range || request.missingOnly))
    return {
      code: 'bad_backfill',
      message: 'A backfill covers one partition, a range, or the missing partitions: not several of these.',
      hint: 'Send `partition`, or `range` (with `missingOnly` to keep only the missing ones in it), or `missingOnly`.',
    };
  if (request.partition === undefined && !request.range && !request.missingOnly)
    return {
      code: 'bad_backfill',
      message: 'Say which partitions to backfill: one partition, a range, or the missing ones.',
      hint: 'Send `partition`, `range: { start, end }` or `missingOnly: true`.',
    };
  const keys = [request.partition, request.range?.start, request.range?.end].filter(
    (k): k is string => k !== undefined,
  );
  const bad = keys.find(badDateKey);
  if (bad)
    return {
      code: 'bad_partition_key',
      message: `"${bad}" is not a real date, so it is no partition of a time-partitioned asset.`,
      hint: 'Partition keys of daily assets are written YYYY-MM-DD (hourly: YYYY-MM-DD-HH:MM).',
    };
  const { start, end } = request.range ?? {};
  if (start && end && /^\d{4}-\d{2}-\d{2}/.test(start) && /^\d{4}-\d{2}-\d{2}/.test(end) && start > end)
    return {
      code: 'bad_range',
      message: `The range starts (${start}) after it ends (${end}).`,
      hint: 'Give the earlier partition as the start; both ends are included.',
    };
  return null;
}
