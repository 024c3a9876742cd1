// Which history entries a project keeps: everything of the last 30 days, then the newest entry of each (UTC) day,
// and never more than 1,000 entries (the oldest go first). Pure, so the policy is tested on its own.

export interface PrunePolicy {
  keepAllDays: number;
  maxEntries: number;
}

export const DEFAULT_PRUNE_POLICY: PrunePolicy = { keepAllDays: 30, maxEntries: 1000 };

const DAY_MS = 24 * 60 * 60 * 1000;

/** `entries` newest first; answers the commits to keep, newest first (the newest entry is always kept). */
export function entriesToKeep(
  entries: readonly { commit: string; at: string }[],
  now: Date,
  policy: PrunePolicy = DEFAULT_PRUNE_POLICY,
): string[] {
  const cutoff = now.getTime() - policy.keepAllDays * DAY_MS;
  const days = new Set<string>();
  const keep: string[] = [];
  for (const [i, e] of entries.entries()) {
    const time = Date.parse(e.at);
    const day = Number.isNaN(time) ? '' : new Date(time).toISOString().slice(0, 10);
    if (i === 0 || !(time < cutoff)) {
      keep.push(e.commit);
      days.add(day);
    } else {
      if (!days.has(day)) {
        days.add(day);
        keep.push(e.commit);
      }
    }
  }
  return keep.slice(0, Math.max(1, policy.maxEntries));
}
