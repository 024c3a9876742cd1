// The start date a new time-partitioned choice gets: in the past, so the first partition exists at once. A daily
// partition starting today has none until tomorrow (Dagster counts only whole partitions), and a newcomer finds an
// empty partition list and nothing to backfill.

export type TimeKind = 'daily' | 'hourly' | 'weekly' | 'monthly';

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The first of the month before `now` for monthly partitions, 30 days before `now` for the others (UTC dates). */
export function defaultStartDate(kind: TimeKind, now: Date = new Date()): string {
  if (kind === 'monthly') return iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
  return iso(new Date(now.getTime() - 30 * 86_400_000));
}

/** What the Start date field says about a default it filled in. */
export const START_DATE_NOTE: Record<TimeKind, string> = {
  daily: '30 days ago by default, so there are partitions to run at once',
  hourly: '30 days ago by default, so there are partitions to run at once',
  weekly: '30 days ago by default, so there are partitions to run at once',
  monthly: 'the first of last month by default, so there is a partition to run at once',
};
