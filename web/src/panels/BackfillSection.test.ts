import { describe, expect, it } from 'vitest';
import { backfillRequestOf } from './BackfillSection';

describe('the Run dialog backfill request', () => {
  const rows: Array<[string, Parameters<typeof backfillRequestOf>, object]> = [
    ['one partition', [['n1'], 'one', '2024-01-02', '', false], { nodes: ['n1'], partition: '2024-01-02' }],
    [
      'a range',
      [['n1'], 'range', '2024-01-01', '2024-01-02', false],
      { nodes: ['n1'], range: { start: '2024-01-01', end: '2024-01-02' } },
    ],
    [
      'the missing ones in a range',
      [['n1'], 'range', '2024-01-01', '2024-01-09', true],
      { nodes: ['n1'], range: { start: '2024-01-01', end: '2024-01-09' }, missingOnly: true },
    ],
    [
      'every missing one, nothing selected (every asset)',
      [[], 'missing', 'x', 'y', true],
      { missingOnly: true },
    ],
  ];
  it.each(rows)('%s', (_name, args, request) => {
    expect(backfillRequestOf(...args)).toEqual(request);
  });
});
