import { describe, expect, it } from 'vitest';
import {
  checkFailureReason,
  checkSpecProblems,
  checkStatusOf,
  checksBadge,
  blocksDownstream,
  newCheckName,
  readCheckSpecs,
  supportsCheckSpecs,
  writeCheckSpecs,
  type AssetCheckResult,
  type CheckSpec,
} from './asset-checks.js';

describe('supportsCheckSpecs', () => {
  it.each([
    ['dagster.PythonScriptComponent', true],
    ['dagster.UvRunComponent', true],
    ['dagster.FunctionComponent', true],
    ['dagster.TemplatedSqlComponent', false],
    ['dagster_dbt.DbtProjectComponent', false],
  ])('%s → %s', (type, expected) => expect(supportsCheckSpecs(type)).toBe(expected));
});

describe('readCheckSpecs', () => {
  const rows: Array<[unknown, CheckSpec[]]> = [
    [undefined, []],
    ['nope', []],
    [[{ name: 'positive', asset: 'raw/orders' }], [{ name: 'positive', asset: 'raw/orders' }]],
    [
      [{ name: 'p', asset: ['raw', 'orders'], blocking: true }],
      [{ name: 'p', asset: 'raw/orders', blocking: true }],
    ],
    [[{ name: 'p', asset: 'a', description: '  ', blocking: false }], [{ name: 'p', asset: 'a' }]],
    [
      [{ name: 'p' }, null, { asset: 'a' }, { name: 'q', asset: 'a', description: 'd' }],
      [{ name: 'q', asset: 'a', description: 'd' }],
    ],
  ];
  it.each(rows)('%j', (checks, expected) => expect(readCheckSpecs({ checks })).toEqual(expected));
});

describe('writeCheckSpecs', () => {
  it('writes the specs, keeping what the designer does not edit on an entry of the same name and asset', () => {
    const before = {
      assets: [{ key: 'a' }],
      checks: [{ name: 'rows', asset: 'a', metadata: { owner: 'x' }, blocking: true, description: 'old' }],
    };
    expect(
      writeCheckSpecs(before, [
        { name: 'rows', asset: 'a', description: 'new' },
        { name: 'fresh', asset: 'a', blocking: true },
      ]),
    ).toEqual({
      assets: [{ key: 'a' }],
      checks: [
        { metadata: { owner: 'x' }, name: 'rows', asset: 'a', description: 'new' },
        { name: 'fresh', asset: 'a', blocking: true },
      ],
    });
  });
  it('removes the key when there are no checks left', () => {
    expect(writeCheckSpecs({ assets: [], checks: [{ name: 'x', asset: 'a' }] }, [])).toEqual({ assets: [] });
  });
  it('round-trips through readCheckSpecs', () => {
    const specs: CheckSpec[] = [{ name: 'n', asset: 'a/b', description: 'd', blocking: true }];
    expect(readCheckSpecs(writeCheckSpecs({}, specs))).toEqual(specs);
  });
});

describe('checkSpecProblems', () => {
  const rows: Array<[CheckSpec[], string[]]> = [
    [[{ name: 'ok', asset: 'a' }], []],
    [
      [{ name: '1bad', asset: 'a' }],
      ['"1bad" is not a check name (letters, digits and _; not a digit first).'],
    ],
    [[{ name: 'x', asset: 'b' }], ['b is not an asset of this node (a, c/d).']],
    [
      [
        { name: 'x', asset: 'a' },
        { name: 'x', asset: 'a' },
      ],
      ['a has two checks named x.'],
    ],
    [
      [
        { name: 'x', asset: 'a' },
        { name: 'x', asset: 'c/d' },
      ],
      [],
    ],
  ];
  it.each(rows)('%j', (specs, expected) =>
    expect(checkSpecProblems(specs, ['a', 'c/d']).map((p) => p.message)).toEqual(expected),
  );
});

describe('newCheckName', () => {
  it('numbers names taken on the same asset only', () => {
    const specs = [
      { name: 'check', asset: 'a' },
      { name: 'check_2', asset: 'a' },
    ];
    expect(newCheckName(specs, 'a')).toBe('check_3');
    expect(newCheckName(specs, 'b')).toBe('check');
  });
});

describe('checkStatusOf', () => {
  it.each([
    ['SUCCEEDED', undefined, 'passed'],
    ['FAILED', false, 'failed'],
    ['EXECUTION_FAILED', undefined, 'error'],
    ['IN_PROGRESS', undefined, 'running'],
    ['SKIPPED', undefined, 'skipped'],
    [undefined, undefined, 'not_run'],
    [undefined, true, 'passed'],
    [undefined, false, 'failed'],
  ] as const)('%s / %s → %s', (status, passed, expected) =>
    expect(checkStatusOf(status, passed)).toBe(expected),
  );
});

const result = (over: Partial<AssetCheckResult>): AssetCheckResult => ({
  key: 'a:c',
  asset: 'a',
  name: 'c',
  blocking: false,
  status: 'passed',
  ...over,
});

describe('checksBadge and blocksDownstream', () => {
  it('counts failures first, errors before warnings', () => {
    const warn = result({
      status: 'failed',
      evaluation: { asset: 'a', name: 'c', passed: false, severity: 'WARN' },
    });
    expect(checksBadge([warn, result({})])).toEqual({ tone: 'warn', text: 'checks 1/2 failed' });
    expect(checksBadge([warn, result({ status: 'error' })])).toEqual({
      tone: 'failed',
      text: 'checks 2/2 failed',
    });
    expect(checksBadge([result({}), result({ status: 'running' })])).toEqual({
      tone: 'running',
      text: 'checks running',
    });
    expect(checksBadge([result({}), result({ status: 'not_run' })])).toEqual({
      tone: 'passed',
      text: 'checks 1/1 passed',
    });
    expect(checksBadge([result({ status: 'not_run' })])).toBeUndefined();
  });
  it('a blocking check blocks only when it failed with severity ERROR', () => {
    const ev = (severity: 'ERROR' | 'WARN') => ({ asset: 'a', name: 'c', passed: false, severity });
    expect(blocksDownstream(result({ blocking: true, status: 'failed', evaluation: ev('ERROR') }))).toBe(
      true,
    );
    expect(blocksDownstream(result({ blocking: true, status: 'failed', evaluation: ev('WARN') }))).toBe(
      false,
    );
    expect(blocksDownstream(result({ blocking: false, status: 'failed', evaluation: ev('ERROR') }))).toBe(
      false,
    );
  });
});

describe('checkFailureReason', () => {
  it('is the description, then the metadata as label: value', () => {
    expect(
      checkFailureReason({
        asset: 'a',
        name: 'c',
        passed: false,
        severity: 'ERROR',
        description: '3 rows have a negative amount',
        metadata: { bad_rows: 3, sample: [1, 2] },
      }),
    ).toBe('3 rows have a negative amount\nbad_rows: 3\nsample: [1,2]');
    expect(checkFailureReason(undefined)).toBe('');
  });
});
