import { describe, expect, it } from 'vitest';
import { DETAIL_ZOOM, OUTLINE_ZOOM, detailLevel } from './detail';

describe('detailLevel', () => {
  it.each([
    [1, 'full'],
    [0.6, 'full'], // a big project opens at 0.6 (opening-view.ts): full detail
    [DETAIL_ZOOM, 'full'],
    [0.39, 'minimal'],
    [OUTLINE_ZOOM, 'minimal'],
    [0.149, 'outline'],
    [0.05, 'outline'], // the smallest zoom the canvas allows, and about where Fit shows 1,000 nodes
  ])('at zoom %d → %s', (zoom, level) => {
    expect(detailLevel(zoom)).toBe(level);
  });
});
