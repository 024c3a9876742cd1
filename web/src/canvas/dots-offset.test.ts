import { describe, expect, it } from 'vitest';
import { dotsOffset } from './dots-offset';

describe('dotsOffset', () => {
  // The dots of the layer at offset o fall at o + k·gap; those of the view translated by t at t + k·gap.
  const sameGrid = (o: number, t: number, gap: number) => {
    const d = (((o - t) % gap) + gap) % gap;
    return Math.min(d, gap - d) < 1e-9;
  };
  it.each([
    [0, 16],
    [5, 16],
    [16, 16],
    [-5, 16],
    [-33.5, 9.6],
    [1234.56, 9.6],
    [-1e6 + 0.25, 4.8],
  ])('translation %d with gap %d: in [-gap, 0) and on the same grid', (t, gap) => {
    const o = dotsOffset(t, gap);
    expect(o).toBeGreaterThanOrEqual(-gap);
    expect(o).toBeLessThan(0);
    expect(sameGrid(o, t, gap)).toBe(true);
  });
  it('a zero or invalid gap (a zoom of 0) gives 0', () => {
    expect(dotsOffset(10, 0)).toBe(0);
    expect(dotsOffset(10, Number.NaN)).toBe(0);
  });
});
