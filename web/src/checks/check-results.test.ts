import { describe, expect, it } from 'vitest';
import type { AssetCheckResult } from '@designer/shared';
import { checksWithResults } from './check-results';

const declared = [
  { key: 'raw/orders:positive', asset: 'raw/orders', name: 'positive', blocking: true, description: 'd' },
  { key: 'raw/orders:fresh', asset: 'raw/orders', name: 'fresh', blocking: false },
];
const result = (over: Partial<AssetCheckResult>): AssetCheckResult => ({
  key: 'raw/orders:positive',
  asset: 'raw/orders',
  name: 'positive',
  blocking: true,
  status: 'failed',
  ...over,
});

describe('checksWithResults', () => {
  it("gives each of the node's checks (from the preview) its last result, 'not run' without one", () => {
    expect(checksWithResults('n', declared, [result({ runId: 'r1' })])).toEqual([
      result({ runId: 'r1' }),
      { key: 'raw/orders:fresh', asset: 'raw/orders', name: 'fresh', blocking: false, status: 'not_run' },
    ]);
  });
  it('adds results the server placed on the node that the preview does not have, and no others', () => {
    const other = result({ key: 'x:y', asset: 'x', name: 'y', nodeId: 'n' });
    const elsewhere = result({ key: 'z:w', asset: 'z', name: 'w', nodeId: 'm' });
    expect(checksWithResults('n', [], [other, elsewhere])).toEqual([other]);
  });
});
