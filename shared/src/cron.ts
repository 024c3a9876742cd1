// Cron for schedule nodes: parse a 5-field expression (what Dagster's `cron_schedule` takes), read it out in
// words, compute its next ticks in an IANA time zone, and map the builder's choices (every hour / every day at /
// weekdays at / custom) to and from the expression. Pure: time zones come from the platform's Intl data.

export interface CronFields {
  minutes: number[];
  hours: number[];
  days: number[];
  months: number[];
  /** 0 = Sunday … 6 = Saturday (7 is folded into 0). */
  weekdays: number[];
  /** Both day-of-month and day-of-week restricted: a day matches either (classic cron). */
  dayOr: boolean;
}

export type CronParse = { ok: true; fields: CronFields } | { ok: false; error: string };

const ALIASES: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, offset: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, offset: 0 },
] as const;

function parseField(text: string, index: number): number[] | string {
  const spec = FIELDS[index]!;
  const value = (raw: string): number | null => {
    const named = 'names' in spec ? (spec.names as readonly string[]).indexOf(raw.toLowerCase()) : -1;
    if (named >= 0) return named + ('offset' in spec ? spec.offset : 0);
    return /^\d+$/.test(raw) ? Number(raw) : null;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) return `the ${spec.name} field "${part}" is not a number, range, list or step`;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return `the ${spec.name} step must be at least 1`;
    let lo: number = spec.min;
    let hi: number = spec.max === 7 ? 6 : spec.max;
    if (m[1] !== '*') {
      const [a, b] = m[1]!.split('-');
      const from = value(a!);
      const to = b === undefined ? (m[2] === undefined ? from : hi) : value(b);
      if (from === null || to === null) return `the ${spec.name} field "${part}" has an unknown value`;
      if (from < spec.min || from > spec.max || to < spec.min || to > spec.max)
        return `the ${spec.name} must be between ${spec.min} and ${spec.max}`;
      if (from > to) return `the ${spec.name} range "${m[1]}" runs backwards`;
      lo = from;
      hi = to;
    }
    for (let v = lo; v <= hi; v += step) out.add(index === 4 && v === 7 ? 0 : v);
  }
  return [...out].sort((x, y) => x - y);
}

export function parseCron(expression: string): CronParse {
  const text = ALIASES[expression.trim().toLowerCase()] ?? expression.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5 || text === '')
    return {
      ok: false,
      error: 'A cron expression has 5 fields: minute hour day-of-month month day-of-week.',
    };
  const values: number[][] = [];
  for (let i = 0; i < 5; i += 1) {
    const field = parseField(parts[i]!, i);
    if (typeof field === 'string') return { ok: false, error: `In "${expression}", ${field}.` };
    values.push(field);
  }
  const restricted = (i: number) => parts[i] !== '*' && !parts[i]!.startsWith('*/');
  return {
    ok: true,
    fields: {
      minutes: values[0]!,
      hours: values[1]!,
      days: values[2]!,
      months: values[3]!,
      weekdays: values[4]!,
      dayOr: restricted(2) && restricted(4),
    },
  };
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(ms)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
  };
}

/** True when the platform knows the IANA time zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

const MINUTE = 60_000;
const wallMs = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);

/**
 * The instant a local wall time names in a time zone. A time that a DST change repeats is its later instant, and
 * one that the change skips is the instant the clocks jump (02:30 on a spring-forward day ticks at 03:00), as
 * Dagster's own `cron_string_iterator` does (checked against dagster 1.13.27).
 */
function instantOf(local: number, timeZone: string): number {
  const offsetAt = (ms: number) => wallMs(wallClock(ms, timeZone)) - ms;
  const candidates = [local - offsetAt(local + 14 * 3_600_000), local - offsetAt(local - 14 * 3_600_000)];
  const exact = candidates.filter((u) => wallMs(wallClock(u, timeZone)) === local);
  if (exact.length > 0) return Math.max(...exact);
  // Skipped: the first minute after the jump, found by walking back from the instant past the gap.
  let u = Math.max(...candidates);
  while (wallMs(wallClock(u - MINUTE, timeZone)) > local) u -= MINUTE;
  return u;
}

/** The next `count` ticks strictly after `after`, as instants (empty when the expression or zone is invalid). */
export function nextTicks(expression: string, timeZone: string, after: Date, count = 5): Date[] {
  const parsed = parseCron(expression);
  if (!parsed.ok || !isTimeZone(timeZone)) return [];
  const f = parsed.fields;
  const start = wallClock(after.getTime(), timeZone);
  const out: Date[] = [];
  const day = new Date(Date.UTC(start.year, start.month - 1, start.day));
  // Eight years of days: a rare expression (Feb 29) still gets two ticks; one that never fires (Feb 30) stops.
  for (let i = 0; i < 8 * 366 && out.length < count; i += 1, day.setUTCDate(day.getUTCDate() + 1)) {
    const dom = f.days.includes(day.getUTCDate());
    const dow = f.weekdays.includes(day.getUTCDay());
    if (!f.months.includes(day.getUTCMonth() + 1) || !(f.dayOr ? dom || dow : dom && dow)) continue;
    for (const hour of f.hours)
      for (const minute of f.minutes) {
        const tick = instantOf(day.getTime() + (hour * 60 + minute) * MINUTE, timeZone);
        if (tick > after.getTime() && !out.some((d) => d.getTime() === tick) && out.length < count)
          out.push(new Date(tick));
      }
  }
  return out;
}

/** The builder's choices; anything else is `custom`. */
export type CronChoice =
  | { kind: 'hourly'; minute: number }
  | { kind: 'daily'; time: string }
  | { kind: 'weekdays'; time: string }
  | { kind: 'custom'; cron: string };

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function cronOfChoice(choice: CronChoice): string {
  switch (choice.kind) {
    case 'hourly':
      return `${choice.minute} * * * *`;
    case 'daily':
    case 'weekdays': {
      const m = TIME.exec(choice.time) ?? ['', '00', '00'];
      return `${Number(m[2])} ${Number(m[1])} * * ${choice.kind === 'daily' ? '*' : '1-5'}`;
    }
    case 'custom':
      return choice.cron.trim();
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

export function choiceOfCron(expression: string): CronChoice {
  const m = /^(\d{1,2}) (\*|\d{1,2}) \* \* (\*|1-5)$/.exec(expression.trim());
  if (m) {
    const minute = Number(m[1]);
    if (minute <= 59 && m[2] === '*' && m[3] === '*') return { kind: 'hourly', minute };
    const hour = Number(m[2]);
    if (minute <= 59 && m[2] !== '*' && hour <= 23)
      return { kind: m[3] === '*' ? 'daily' : 'weekdays', time: `${pad(hour)}:${pad(minute)}` };
  }
  return { kind: 'custom', cron: expression };
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The expression in words: "every day at 06:00 Europe/Paris". */
export function describeCron(expression: string, timeZone: string): string {
  const parsed = parseCron(expression);
  if (!parsed.ok) return parsed.error;
  const f = parsed.fields;
  const all = (list: number[], n: number) => list.length === n;
  const everyDay = all(f.days, 31) && all(f.months, 12) && all(f.weekdays, 7);
  const single = f.minutes.length === 1 && f.hours.length === 1;
  const at = single ? `${pad(f.hours[0]!)}:${pad(f.minutes[0]!)}` : '';
  const weekdaysOnly = all(f.days, 31) && all(f.months, 12) && f.weekdays.join() === '1,2,3,4,5';
  let words: string;
  if (all(f.minutes, 60) && all(f.hours, 24) && everyDay) words = 'every minute';
  else if (f.minutes.length === 1 && all(f.hours, 24) && everyDay)
    words = f.minutes[0] === 0 ? 'every hour' : `every hour at :${pad(f.minutes[0]!)}`;
  else if (single && everyDay) words = `every day at ${at}`;
  else if (single && weekdaysOnly) words = `weekdays at ${at}`;
  else if (single && all(f.days, 31) && all(f.months, 12) && f.weekdays.length === 1)
    words = `every ${DAY_NAMES[f.weekdays[0]!]} at ${at}`;
  else if (single && f.days.length === 1 && all(f.months, 12) && all(f.weekdays, 7))
    words = `on day ${f.days[0]} of every month at ${at}`;
  else words = `on cron "${expression.trim()}"`;
  return `${words} ${timeZone}`;
}
