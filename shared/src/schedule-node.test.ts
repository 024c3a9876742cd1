import { describe, expect, it } from 'vitest';
import {
  buildScheduleDefs,
  defaultScheduleNodeAttributes,
  runsTargetsComponentType,
  scheduleNodeAttributes,
  scheduleSelection,
  targetsFromSelection,
  selectionProblems,
} from './schedule-node.js';
import type { GraphNode } from './project-file/schema.js';

const node = (attributes: Record<string, unknown>): GraphNode => ({
  id: 's1',
  type: 'schedule',
  position: { x: 0, y: 0 },
  data: {
    label: 'nightly',
    component_type: 'shop.components.scheduled_job.ScheduledJobComponent',
    attributes,
  },
});

describe('scheduleSelection', () => {
  const rows: Array<[string[], string | undefined, string]> = [
    [['a', 'sales/b'], undefined, 'key:"a" or key:"sales/b"'],
    [['a', 'a'], '  ', 'key:"a"'],
    [[], 'group:finance', 'group:finance'],
    [['a'], 'kind:dbt and tag:daily', 'key:"a" or (kind:dbt and tag:daily)'],
    [[], undefined, ''],
  ];
  it.each(rows)('%j + %j → %s', (keys, extra, expected) => {
    expect(scheduleSelection(keys, extra)).toBe(expected);
  });
});

describe('buildScheduleDefs', () => {
  it('writes the component attributes with the job and schedule named after the node', () => {
    const { defs, problems } = buildScheduleDefs(
      node({ cron_schedule: '* * * * *', execution_timezone: 'Europe/Paris', default_status: 'RUNNING' }),
      ['a', 'b'],
    );
    expect(problems).toEqual([]);
    expect(defs).toEqual({
      type: 'shop.components.scheduled_job.ScheduledJobComponent',
      attributes: {
        job_name: 'nightly_job',
        schedule_name: 'nightly',
        cron_schedule: '* * * * *',
        execution_timezone: 'Europe/Paris',
        asset_selection: 'key:"a" or key:"b"',
        default_status: 'RUNNING',
      },
    });
  });

  it('says what is wrong: bad cron, unknown zone, no target', () => {
    const { problems } = buildScheduleDefs(
      node({ cron_schedule: '0 25 * * *', execution_timezone: 'Nowhere/X' }),
      [],
    );
    expect(problems.map((p) => [p.severity, p.field])).toEqual([
      ['error', 'cron_schedule'],
      ['error', 'execution_timezone'],
      ['warning', undefined],
    ]);
  });
});

describe('selectionProblems', () => {
  const assets = [
    { key: 'raw/orders', group_name: 'ingest', kinds: ['python'], tags: { tier: 'gold' } },
    { key: 'orders', group_name: 'marts', kinds: ['dbt', 'duckdb'] },
  ];
  const rows: Array<[string, string[]]> = [
    ['group:ingest', []],
    ['kind:dbt or +key:"raw/orders"', []],
    ['tag:tier=gold and not key:orders', []],
    ['key:raw/*', []],
    ['orders+', []],
    ['group:finance', ['no asset matches group:finance']],
    ['kind:sling or tag:tier=silver', ['no asset matches kind:sling', 'no asset matches tag:tier=silver']],
    ['key:"nope"', ['no asset matches key:nope']],
  ];
  it.each(rows)('%s', (selection, expected) => {
    expect(selectionProblems(selection, assets)).toEqual(expected);
  });
});

describe('buildScheduleDefs for an asset sensor node', () => {
  const sensor = (attributes: Record<string, unknown>): GraphNode => ({
    id: 'w1',
    type: 'schedule',
    position: { x: 0, y: 0 },
    data: {
      label: 'on_orders',
      component_type: 'shop.components.asset_sensor_job.AssetSensorJobComponent',
      attributes,
    },
  });
  it('writes the watched asset, the target and the names', () => {
    const { defs, problems } = buildScheduleDefs(
      sensor({ asset_key: 'raw/orders', default_status: 'RUNNING', minimum_interval_seconds: 5 }),
      ['marts/report'],
    );
    expect(problems).toEqual([]);
    expect(defs).toEqual({
      type: 'shop.components.asset_sensor_job.AssetSensorJobComponent',
      attributes: {
        job_name: 'on_orders_job',
        sensor_name: 'on_orders',
        asset_key: 'raw/orders',
        asset_selection: 'key:"marts/report"',
        default_status: 'RUNNING',
        minimum_interval_seconds: 5,
      },
    });
  });
  const rows: Array<[Record<string, unknown>, string[], Array<[string, string | undefined]>]> = [
    [{}, ['a'], [['error', 'asset_key']]],
    [{ asset_key: 'raw orders' }, ['a'], [['error', 'asset_key']]],
    [{ asset_key: 'a' }, ['a'], [['error', 'asset_key']]],
    [{ asset_key: 'x' }, [], [['warning', undefined]]],
    [{ asset_key: 'x', minimum_interval_seconds: -1 }, ['a'], []],
  ];
  it.each(rows)('%j → %j', (attributes, targets, expected) => {
    const { problems } = buildScheduleDefs(sensor(attributes), targets);
    expect(problems.map((p) => [p.severity, p.field])).toEqual(expected);
  });
  it('a new node gets the attributes of its kind', () => {
    expect(defaultScheduleNodeAttributes('shop.components.asset_sensor_job.AssetSensorJobComponent')).toEqual(
      {
        asset_key: '',
        default_status: 'STOPPED',
      },
    );
    expect(
      defaultScheduleNodeAttributes('shop.components.scheduled_job.ScheduledJobComponent'),
    ).toMatchObject({
      cron_schedule: '0 6 * * *',
    });
    expect(runsTargetsComponentType('shop.components.asset_sensor_job.AssetSensorJobComponent')).toBe(true);
    expect(runsTargetsComponentType('dagster.PythonScriptComponent')).toBe(false);
  });
});

describe('import: scheduleNodeAttributes and targetsFromSelection', () => {
  it('keeps the choices of a written document, not the names that follow the label', () => {
    expect(
      scheduleNodeAttributes('shop.components.scheduled_job.ScheduledJobComponent', {
        job_name: 'nightly_job',
        schedule_name: 'nightly',
        cron_schedule: '0 2 * * *',
        execution_timezone: 'Europe/Paris',
        asset_selection: 'key:"a"',
        default_status: 'RUNNING',
      }),
    ).toEqual({
      cron_schedule: '0 2 * * *',
      execution_timezone: 'Europe/Paris',
      default_status: 'RUNNING',
      asset_selection: 'key:"a"',
    });
    expect(
      scheduleNodeAttributes('shop.components.asset_sensor_job.AssetSensorJobComponent', {
        job_name: 'w_job',
        sensor_name: 'w',
        asset_key: 'raw/orders',
        asset_selection: 'key:"b"',
      }),
    ).toEqual({ asset_key: 'raw/orders', default_status: 'STOPPED', asset_selection: 'key:"b"' });
  });
  const keys = new Map<string, string[]>([
    ['n1', ['a']],
    ['n2', ['b', 'c']],
    ['n3', []],
  ]);
  const rows: Array<[string, string[], string]> = [
    ['key:"a" or key:"b" or key:"c"', ['n1', 'n2'], ''],
    ['key:"a" or key:"b" or (group:x or kind:dbt)', ['n1'], 'key:"b" or (group:x or kind:dbt)'],
    ['key:"a" or (group:x or kind:dbt)', ['n1'], 'group:x or kind:dbt'],
    ['key:"a" or (tag:t)', ['n1'], 'tag:t'],
    ['group:x', [], 'group:x'],
    ['key:"a" or (tag:t) and (kind:dbt)', ['n1'], '(tag:t) and (kind:dbt)'],
    ['key:"a" and kind:dbt', [], 'key:"a" and kind:dbt'],
    ['key:"a or b"', [], 'key:"a or b"'],
  ];
  it.each(rows)('%s', (selection, targets, rest) => {
    expect(targetsFromSelection(selection, keys)).toEqual({ targets, rest });
  });
});
