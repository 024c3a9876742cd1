import { describe, expect, it } from 'vitest';
import { entriesToKeep } from './prune.js';

const now = new Date('2026-06-01T12:00:00Z');
const at = (daysAgo: number, hour = 0) =>
  new Date(now.getTime() - daysAgo * 86_400_000 + hour * 3_600_000).toISOString();

describe('entriesToKeep', () => {
  const cases: { name: string; entries: [string, string][]; max?: number; keep: string[] }[] = [
    { name: 'nothing', entries: [], keep: [] },
    {
      name: 'all recent',
      entries: [
        ['a', at(1)],
        ['b', at(2)],
        ['c', at(29)],
      ],
      keep: ['a', 'b', 'c'],
    },
    {
      name: 'older than 30 days: the newest of each day',
      entries: [
        ['a', at(1)],
        ['b', at(40, 5)],
        ['c', at(40, 1)],
        ['d', at(41, 3)],
        ['e', at(41, 2)],
      ],
      keep: ['a', 'b', 'd'],
    },
    {
      name: 'the newest entry always stays',
      entries: [
        ['a', at(90)],
        ['b', at(90, -1)],
      ],
      keep: ['a'],
    },
    {
      name: 'a cap drops the oldest',
      entries: [
        ['a', at(1)],
        ['b', at(2)],
        ['c', at(3)],
      ],
      max: 2,
      keep: ['a', 'b'],
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const entries = c.entries.map(([commit, when]) => ({ commit, at: when }));
      expect(entriesToKeep(entries, now, { keepAllDays: 30, maxEntries: c.max ?? 1000 })).toEqual(c.keep);
    });
});
