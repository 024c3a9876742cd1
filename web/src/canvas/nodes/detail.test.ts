import { describe, expect, it } from 'vitest';
import { DETAIL_ZOOM, showsDetail } from './detail';

describe('showsDetail', () => {
  it.each([
    [1, true],
    [0.6, true], // a big project opens at 0.6 (opening-view.ts): full detail
    [DETAIL_ZOOM, true],
    [0.39, false],
    [0.05, false], // the smallest zoom the canvas allows
  ])('at zoom %d → %s', (zoom, detail) => {
    expect(showsDetail(zoom)).toBe(detail);
  });
});
