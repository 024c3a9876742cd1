import { describe, expect, it } from 'vitest';
import { acyclicLinks } from './layout';

describe('acyclicLinks', () => {
  it.each([
    [1000, 1000, 42],
    [600, 600, 7],
    [40, 50, 42],
  ])(
    '%i nodes, %i links (seed %i): distinct, each forward and at most 50 apart, the same for the same seed',
    (n, e, seed) => {
      const links = acyclicLinks(n, e, seed);
      expect(links).toHaveLength(e);
      expect(new Set(links.map(([a, b]) => `${a}-${b}`)).size).toBe(e);
      for (const [a, b] of links) {
        expect(a).toBeGreaterThanOrEqual(0);
        expect(b).toBeGreaterThan(a);
        expect(b - a).toBeLessThanOrEqual(50);
        expect(b).toBeLessThan(n);
      }
      expect(acyclicLinks(n, e, seed)).toEqual(links);
      expect(acyclicLinks(n, e, seed + 1)).not.toEqual(links);
    },
  );
});
