import { describe, expect, it } from 'vitest';
import { buildManagedDefs } from './defs-mapping.js';
import {
  backfillRequestProblem,
  dbtCliArgsFor,
  nodePartitionsDef,
  partitionsBadge,
  partitionsChoiceOf,
  partitionsDefOf,
  partitionsProblems,
  withPartitions,
  type PartitionsChoice,
} from './partitions.js';

describe('partitions_def written and read back', () => {
  const rows: Array<[string, PartitionsChoice, unknown, string | null]> = [
    ['none', { kind: 'none' }, undefined, null],
    [
      'daily UTC: the structured form',
      { kind: 'daily', startDate: '2024-01-01', timezone: 'UTC', endOffset: 0 },
      { type: 'daily', start_date: '2024-01-01' },
      'daily from 2024-01-01',
    ],
    [
      'hourly in a time zone',
      { kind: 'hourly', startDate: '2024-01-01-06:00', timezone: 'Europe/Paris', endOffset: 0 },
      { type: 'hourly', start_date: '2024-01-01-06:00', timezone: 'Europe/Paris' },
      'hourly from 2024-01-01-06:00',
    ],
    [
      'weekly with an end offset: the template (the structured form has none)',
      { kind: 'weekly', startDate: '2024-01-01', timezone: 'UTC', endOffset: 1 },
      "{{ dg.WeeklyPartitionsDefinition(start_date='2024-01-01', end_offset=1) }}",
      'weekly from 2024-01-01',
    ],
    [
      'monthly: the template (no monthly type in the structured form)',
      { kind: 'monthly', startDate: '2023-06-01', timezone: 'America/New_York', endOffset: 0 },
      "{{ dg.MonthlyPartitionsDefinition(start_date='2023-06-01', timezone='America/New_York') }}",
      'monthly from 2023-06-01',
    ],
    [
      'daily with a negative end offset',
      { kind: 'daily', startDate: '2024-03-01', timezone: 'UTC', endOffset: -1 },
      "{{ dg.DailyPartitionsDefinition(start_date='2024-03-01', end_offset=-1) }}",
      'daily from 2024-03-01',
    ],
    [
      'static',
      { kind: 'static', keys: ['eu', 'us', "o'hare"] },
      { type: 'static', partition_keys: ['eu', 'us', "o'hare"] },
      '3 partitions',
    ],
  ];
  it.each(rows)('%s', (_name, choice, written, badge) => {
    expect(partitionsDefOf(choice)).toEqual(written);
    expect(partitionsChoiceOf(written)).toEqual(choice);
    expect(partitionsBadge(written)).toBe(badge);
  });

  const read: Array<[string, unknown, PartitionsChoice]> = [
    [
      'a monthly time window, as an imported file may hold it',
      { type: 'time_window', start_date: '2024-01-01', cron_schedule: '0 0 1 * *', fmt: '%Y-%m-%d' },
      { kind: 'monthly', startDate: '2024-01-01', timezone: 'UTC', endOffset: 0 },
    ],
    [
      'zero offsets are the defaults',
      { type: 'daily', start_date: '2024-01-01', hour_offset: 0, minute_offset: 0 },
      { kind: 'daily', startDate: '2024-01-01', timezone: 'UTC', endOffset: 0 },
    ],
    [
      'a static template with double quotes',
      '{{ dg.StaticPartitionsDefinition(["a", "b"]) }}',
      { kind: 'static', keys: ['a', 'b'] },
    ],
    [
      'an hour offset is not modelled: kept as written',
      { type: 'daily', start_date: '2024-01-01', hour_offset: 6 },
      { kind: 'custom', value: { type: 'daily', start_date: '2024-01-01', hour_offset: 6 } },
    ],
    [
      'an end date is kept as written',
      { type: 'daily', start_date: '2024-01-01', end_date: '2024-02-01' },
      { kind: 'custom', value: { type: 'daily', start_date: '2024-01-01', end_date: '2024-02-01' } },
    ],
    [
      'a template the designer does not know',
      '{{ my_partitions }}',
      { kind: 'custom', value: '{{ my_partitions }}' },
    ],
    ['an empty string is none', '  ', { kind: 'none' }],
  ];
  it.each(read)('reads %s', (_name, value, choice) => {
    expect(partitionsChoiceOf(value)).toEqual(choice);
  });
});

describe('partitions validation', () => {
  const daily = (startDate: string, timezone = 'UTC', endOffset = 0): PartitionsChoice => ({
    kind: 'daily',
    startDate,
    timezone,
    endOffset,
  });
  const rows: Array<[string, PartitionsChoice, RegExp | null]> = [
    ['a good daily', daily('2024-01-01'), null],
    ['no start date', daily(''), /start date must be a real date/],
    ['not a date', daily('yesterday'), /YYYY-MM-DD/],
    ['February 30th', daily('2024-02-30'), /real date/],
    ['an hour on a daily', daily('2024-01-01-06:00'), /real date/],
    [
      'an hour on an hourly',
      { kind: 'hourly', startDate: '2024-01-01-06:00', timezone: 'UTC', endOffset: 0 },
      null,
    ],
    [
      'hour 25',
      { kind: 'hourly', startDate: '2024-01-01-25:00', timezone: 'UTC', endOffset: 0 },
      /YYYY-MM-DD-HH:MM/,
    ],
    ['an unknown time zone', daily('2024-01-01', 'Mars/Olympus'), /Unknown time zone/],
    ['a fractional end offset', daily('2024-01-01', 'UTC', 0.5), /whole number/],
    ['no static key', { kind: 'static', keys: [] }, /at least one key/],
    ['an empty static key', { kind: 'static', keys: ['a', ' '] }, /cannot be empty/],
    ['a comma in a key', { kind: 'static', keys: ['a,b'] }, /refuses/],
    ['a key twice', { kind: 'static', keys: ['a', 'b', 'a'] }, /unique: a/],
  ];
  it.each(rows)('%s', (_name, choice, problem) => {
    const problems = partitionsProblems(choice);
    if (problem === null) expect(problems).toEqual([]);
    else expect(problems.join(' ')).toMatch(problem);
  });
});

describe('partitions on a node', () => {
  const script = {
    component_type: 'dagster.PythonScriptComponent',
    attributes: {
      assets: [{ key: 'orders', partitions_def: { type: 'daily', start_date: '2023-01-01' } }],
      execution: { path: 'orders.py' },
    },
  };

  it('reads what an imported file holds, and the translation takes over when set', () => {
    expect(nodePartitionsDef(script)).toEqual({ type: 'daily', start_date: '2023-01-01' });
    const next = withPartitions(script, {
      kind: 'weekly',
      startDate: '2024-01-01',
      timezone: 'UTC',
      endOffset: 0,
    });
    expect(next.attributes.assets).toEqual([{ key: 'orders' }]);
    expect(nodePartitionsDef(next)).toEqual({ type: 'weekly', start_date: '2024-01-01' });
    expect(script.attributes.assets[0]!.partitions_def).toBeDefined(); // the input is left alone
    expect((withPartitions(next, { kind: 'none' }) as { translation?: object }).translation).toEqual({});
  });

  it('reads a post-processing rule', () => {
    const dbt = {
      component_type: 'dagster_dbt.DbtProjectComponent',
      attributes: { project: 'p' },
      post_processing: {
        assets: [{ target: '*', attributes: { partitions_def: { type: 'static', partition_keys: ['a'] } } }],
      },
    };
    expect(partitionsBadge(nodePartitionsDef(dbt))).toBe('1 partition');
    expect(withPartitions(dbt, { kind: 'none' }).post_processing).toEqual({
      assets: [{ target: '*', attributes: {} }],
    });
  });

  it('sync writes it on each declared asset, or in the * rule of other components', () => {
    const node = withPartitions(
      { ...script, attributes: { assets: [{ key: 'orders' }], execution: { path: 'orders.py' } } },
      { kind: 'daily', startDate: '2024-01-01', timezone: 'UTC', endOffset: 0 },
    );
    const built = buildManagedDefs({ id: 'n', data: { label: 'orders', ...node } }, [], {
      hasTranslationAttribute: false,
    });
    expect(built.defs.attributes.assets).toEqual([
      { key: 'orders', partitions_def: { type: 'daily', start_date: '2024-01-01' } },
    ]);
    const dbt = withPartitions(
      { component_type: 'dagster_dbt.DbtProjectComponent', attributes: { project: 'p' } },
      { kind: 'monthly', startDate: '2024-01-01', timezone: 'UTC', endOffset: 0 },
    );
    const rules = buildManagedDefs({ id: 'd', data: { label: 'dbt', ...dbt } }, [], {
      hasTranslationAttribute: true,
    }).defs.post_processing?.assets;
    expect(rules).toEqual([
      {
        target: '*',
        operation: 'merge',
        attributes: { partitions_def: "{{ dg.MonthlyPartitionsDefinition(start_date='2024-01-01') }}" },
      },
    ]);
  });
});

describe('dbt vars', () => {
  const daily: PartitionsChoice = { kind: 'daily', startDate: '2024-01-01', timezone: 'UTC', endOffset: 0 };
  it('adds the window to the default build, keeping other args and vars', () => {
    expect(dbtCliArgsFor(undefined, daily).cliArgs).toEqual([
      'build',
      {
        '--vars': {
          min_date: "{{ partition_time_window.start.strftime('%Y-%m-%dT%H:%M:%S') }}",
          max_date: "{{ partition_time_window.end.strftime('%Y-%m-%dT%H:%M:%S') }}",
        },
      },
    ]);
    const mine = ['run', '--full-refresh', { '--vars': { region: 'eu' } }];
    const { cliArgs, note } = dbtCliArgsFor(mine, daily);
    expect(cliArgs[2]).toEqual({
      '--vars': { region: 'eu', ...(dbtCliArgsFor([], daily).cliArgs[0] as { '--vars': object })['--vars'] },
    });
    expect(note).toMatch(/var\('min_date'\)/);
    expect(dbtCliArgsFor(cliArgs, { kind: 'none' }).cliArgs).toEqual(mine);
  });
  it('passes a static key; a custom definition gets a message and no vars', () => {
    expect(dbtCliArgsFor(['build'], { kind: 'static', keys: ['eu'] }).cliArgs).toEqual([
      'build',
      { '--vars': { partition_key: '{{ partition_key }}' } },
    ]);
    const custom = dbtCliArgsFor(['build'], { kind: 'custom', value: '{{ x }}' });
    expect(custom.cliArgs).toEqual(['build']);
    expect(custom.note).toMatch(/passes no vars/);
  });
});

describe('backfill requests', () => {
  const rows: Array<[string, Parameters<typeof backfillRequestProblem>[0], string | null]> = [
    ['one partition', { partition: '2024-01-02' }, null],
    ['a range', { range: { start: '2024-01-01', end: '2024-01-03' } }, null],
    ['missing only', { missingOnly: true }, null],
    ['missing in a range', { range: { start: '2024-01-01', end: '2024-01-03' }, missingOnly: true }, null],
    ['a static range is not ordered here', { range: { start: 'us', end: 'eu' } }, null],
    ['nothing', {}, 'bad_backfill'],
    ['a partition and a range', { partition: 'a', range: { start: 'a', end: 'b' } }, 'bad_backfill'],
    ['a date that is none', { partition: '2024-02-30' }, 'bad_partition_key'],
    ['a bad start date', { range: { start: '2024-13-01', end: '2024-12-31' } }, 'bad_partition_key'],
    ['a range backwards', { range: { start: '2024-01-05', end: '2024-01-01' } }, 'bad_range'],
    ['hourly keys backwards', { range: { start: '2024-01-01-05:00', end: '2024-01-01-01:00' } }, 'bad_range'],
  ];
  it.each(rows)('%s', (_name, request, code) => {
    expect(backfillRequestProblem(request)?.code ?? null).toBe(code);
  });
});

it('sync reports a bad start date on the node', () => {
  const data = withPartitions(
    { component_type: 'dagster.PythonScriptComponent', attributes: { assets: [{ key: 'a' }] } },
    { kind: 'daily', startDate: '2024-02-30', timezone: 'UTC', endOffset: 0 },
  );
  const { problems } = buildManagedDefs({ id: 'n', data: { label: 'a', ...data } }, [], {
    hasTranslationAttribute: false,
  });
  expect(problems).toMatchObject([
    { severity: 'error', nodeId: 'n', message: expect.stringMatching(/real date/) },
  ]);
});
