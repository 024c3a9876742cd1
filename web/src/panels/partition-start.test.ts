import { describe, expect, it } from 'vitest';
import { defaultStartDate } from './partition-start';

describe('defaultStartDate', () => {
  const now = new Date('2026-03-10T08:00:00Z');
  it.each([
    ['daily', '2026-02-08'],
    ['hourly', '2026-02-08'],
    ['weekly', '2026-02-08'],
    ['monthly', '2026-02-01'],
  ] as const)('%s starts in the past (%s), so its first partition exists', (kind, expected) => {
    expect(defaultStartDate(kind, now)).toBe(expected);
    expect(defaultStartDate(kind, now) < now.toISOString().slice(0, 10)).toBe(true);
  });
  it('crosses a year for a monthly start in January', () => {
    expect(defaultStartDate('monthly', new Date('2026-01-15T00:00:00Z'))).toBe('2025-12-01');
  });
});
