import { describe, expect, it } from 'vitest';
import { choiceOfCron, cronOfChoice, describeCron, nextTicks, parseCron, type CronChoice } from './cron.js';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString().replace('.000Z', 'Z'));

describe('nextTicks', () => {
  // Every expected row was printed by dagster 1.13.27's own cron_string_iterator for the same inputs.
  const rows: Array<[string, string, string, string[]]> = [
    [
      '0 6 * * *',
      'Europe/Paris',
      '2026-03-27T12:00:00Z',
      [
        '2026-03-28T05:00:00Z',
        '2026-03-29T04:00:00Z',
        '2026-03-30T04:00:00Z',
        '2026-03-31T04:00:00Z',
        '2026-04-01T04:00:00Z',
      ],
    ],
    [
      '30 2 * * *', // 02:30 does not exist on 29 March in Paris: Dagster ticks when the clocks jump (03:00)
      'Europe/Paris',
      '2026-03-27T12:00:00Z',
      [
        '2026-03-28T01:30:00Z',
        '2026-03-29T01:00:00Z',
        '2026-03-30T00:30:00Z',
        '2026-03-31T00:30:00Z',
        '2026-04-01T00:30:00Z',
      ],
    ],
    [
      '30 2 * * *', // 02:30 happens twice on 25 October: Dagster ticks once, the second time
      'Europe/Paris',
      '2026-10-23T12:00:00Z',
      [
        '2026-10-24T00:30:00Z',
        '2026-10-25T01:30:00Z',
        '2026-10-26T01:30:00Z',
        '2026-10-27T01:30:00Z',
        '2026-10-28T01:30:00Z',
      ],
    ],
    [
      '0 6 * * 1-5',
      'America/New_York',
      '2026-11-26T12:00:00Z',
      [
        '2026-11-27T11:00:00Z',
        '2026-11-30T11:00:00Z',
        '2026-12-01T11:00:00Z',
        '2026-12-02T11:00:00Z',
        '2026-12-03T11:00:00Z',
      ],
    ],
    [
      '*/15 * * * *',
      'UTC',
      '2026-11-26T12:07:00Z',
      [
        '2026-11-26T12:15:00Z',
        '2026-11-26T12:30:00Z',
        '2026-11-26T12:45:00Z',
        '2026-11-26T13:00:00Z',
        '2026-11-26T13:15:00Z',
      ],
    ],
    ['0 0 29 2 *', 'UTC', '2026-01-01T00:00:00Z', ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z']],
    [
      '0 9 1 * mon', // day of month and day of week both set: either matches (classic cron)
      'UTC',
      '2026-01-01T00:00:00Z',
      [
        '2026-01-01T09:00:00Z',
        '2026-01-05T09:00:00Z',
        '2026-01-12T09:00:00Z',
        '2026-01-19T09:00:00Z',
        '2026-01-26T09:00:00Z',
      ],
    ],
    ['@hourly', 'UTC', '2026-11-26T12:00:00Z', ['2026-11-26T13:00:00Z', '2026-11-26T14:00:00Z']],
    ['* * * * *', 'Asia/Kolkata', '2026-11-26T12:00:30Z', ['2026-11-26T12:01:00Z', '2026-11-26T12:02:00Z']],
    ['0 0 30 2 *', 'UTC', '2026-01-01T00:00:00Z', []],
  ];
  it.each(rows)('%s in %s after %s', (cron, zone, after, expected) => {
    expect(iso(nextTicks(cron, zone, new Date(after), expected.length || 5))).toEqual(expected);
  });

  it('answers nothing for a bad expression or an unknown zone', () => {
    expect(nextTicks('61 * * * *', 'UTC', new Date())).toEqual([]);
    expect(nextTicks('0 6 * * *', 'Mars/Olympus', new Date())).toEqual([]);
  });
});

describe('parseCron', () => {
  const bad: Array<[string, RegExp]> = [
    ['', /5 fields/],
    ['0 6 * *', /5 fields/],
    ['60 * * * *', /minute must be between 0 and 59/],
    ['0 24 * * *', /hour must be between 0 and 23/],
    ['0 0 0 * *', /day of month must be between 1 and 31/],
    ['0 0 * 13 *', /month must be between 1 and 12/],
    ['0 0 * * 8', /day of week must be between 0 and 7/],
    ['0 0 * * fri-mon', /runs backwards/],
    ['*/0 * * * *', /step must be at least 1/],
    ['a * * * *', /unknown value/],
    ['1.5 * * * *', /not a number/],
  ];
  it.each(bad)('refuses %j', (cron, message) => {
    const parsed = parseCron(cron);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('reads names, lists, ranges, steps and Sunday as 7', () => {
    const parsed = parseCron('0,30 8-10/2 * jan,jul sun-tue,7');
    expect(parsed).toEqual({
      ok: true,
      fields: {
        minutes: [0, 30],
        hours: [8, 10],
        days: expect.any(Array),
        months: [1, 7],
        weekdays: [0, 1, 2],
        dayOr: false,
      },
    });
  });
});

describe('the builder and the words', () => {
  const rows: Array<[CronChoice, string, string]> = [
    [{ kind: 'hourly', minute: 0 }, '0 * * * *', 'every hour UTC'],
    [{ kind: 'hourly', minute: 15 }, '15 * * * *', 'every hour at :15 UTC'],
    [{ kind: 'daily', time: '06:00' }, '0 6 * * *', 'every day at 06:00 UTC'],
    [{ kind: 'weekdays', time: '18:30' }, '30 18 * * 1-5', 'weekdays at 18:30 UTC'],
    [{ kind: 'custom', cron: '* * * * *' }, '* * * * *', 'every minute UTC'],
    [{ kind: 'custom', cron: '0 7 * * 1' }, '0 7 * * 1', 'every Monday at 07:00 UTC'],
    [{ kind: 'custom', cron: '0 3 1 * *' }, '0 3 1 * *', 'on day 1 of every month at 03:00 UTC'],
    [{ kind: 'custom', cron: '*/10 9-17 * * *' }, '*/10 9-17 * * *', 'on cron "*/10 9-17 * * *" UTC'],
  ];
  it.each(rows)('%j → %s → "%s"', (choice, cron, words) => {
    expect(cronOfChoice(choice)).toBe(cron);
    expect(choiceOfCron(cron)).toEqual(choice);
    expect(describeCron(cron, 'UTC')).toBe(words);
  });

  it('names the time zone and reads a bad expression as its error', () => {
    expect(describeCron('0 6 * * *', 'Europe/Paris')).toBe('every day at 06:00 Europe/Paris');
    expect(describeCron('0 6 * *', 'UTC')).toMatch(/5 fields/);
  });
});
