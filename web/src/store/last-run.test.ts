import type { Run } from '@designer/shared';
import { describe, expect, it } from 'vitest';
import { lastRunOf } from './last-run';

const run = (patch: Partial<Run>): Run => ({
  runId: 'r',
  projectId: 'p',
  status: 'SUCCESS',
  startTime: 100,
  endTime: 110,
  creationTime: 100,
  assets: [],
  steps: [],
  materializations: [],
  ...patch,
});

describe('lastRunOf', () => {
  it.each([
    ['no run of its assets', [run({ assets: ['other'] })], null],
    [
      'a run of everything that failed before reaching it',
      [run({ status: 'FAILURE' })],
      { status: 'FAILURE', at: 110 },
    ],
    [
      'materialized by a step whose key is not the node name',
      [
        run({
          assets: ['sales/daily'],
          steps: [{ stepKey: 'templated_sql_5f1e', status: 'SUCCESS', startTime: 101, endTime: 105 }],
          materializations: [{ asset: 'sales/daily', timestamp: '105000', stepKey: 'templated_sql_5f1e' }],
        }),
      ],
      { status: 'SUCCESS', at: 105 },
    ],
    [
      'a failed run that selected it',
      [
        run({
          status: 'FAILURE',
          assets: ['sales/daily'],
          steps: [{ stepKey: 'x', status: 'FAILURE', startTime: 1, endTime: 2 }],
        }),
      ],
      { status: 'FAILURE', at: 110 },
    ],
    [
      'a run still going',
      [run({ status: 'STARTED', endTime: null, assets: ['sales/daily'] })],
      { status: 'RUNNING', at: null },
    ],
    [
      'the newest run wins',
      [
        run({ runId: 'new', status: 'FAILURE', assets: ['sales/daily'] }),
        run({ runId: 'old', assets: ['sales/daily'] }),
      ],
      { status: 'FAILURE', at: 110 },
    ],
  ])('%s', (_name, history, expected) => {
    const found = lastRunOf(history, ['sales/daily'], 'templated_sql');
    expect(found === null ? null : { status: found.status, at: found.at }).toEqual(expected);
  });
});
