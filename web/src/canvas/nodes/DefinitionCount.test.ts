import { describe, expect, it } from 'vitest';
import type { PreviewState } from '../../store/types';
import { definitionCounts } from './DefinitionCount';

const asset = (key: string, nodeId: string) =>
  ({ key, nodeId, deps: [] }) as unknown as PreviewState['assets'][0];
const none = { checks: [], jobs: [], schedules: [], sensors: [], resources: [] };

describe('definitionCounts', () => {
  it('says "previewing…" while the first preview runs and "not previewed yet" after it failed, never "0 assets"', () => {
    expect(definitionCounts({ status: 'running', assets: [], problems: [] }, 'a')).toBe('previewing…');
    expect(definitionCounts({ status: 'error', assets: [], problems: [] }, 'a')).toBe('not previewed yet');
  });

  it('counts what a previewed node defines, "0 assets" only for a node the preview saw define nothing', () => {
    const preview: PreviewState = {
      status: 'done',
      assets: [asset('orders', 'a'), asset('customers', 'a')],
      problems: [],
      definitions: none,
      nodeIds: new Set(['a', 'b']),
    };
    expect(definitionCounts(preview, 'a')).toBe('2 assets');
    expect(definitionCounts(preview, 'b')).toBe('0 assets');
  });

  it('says "not previewed yet" for a node added since the last preview (and "previewing…" while the next runs)', () => {
    const preview: PreviewState = {
      status: 'done',
      assets: [],
      problems: [],
      definitions: none,
      nodeIds: new Set(['a']),
    };
    expect(definitionCounts(preview, 'fresh')).toBe('not previewed yet');
    expect(definitionCounts({ ...preview, status: 'running' }, 'fresh')).toBe('previewing…');
  });
});
