import { describe, expect, it } from 'vitest';
import { boxesPath, maskPath, minimapView, unionOf } from './minimap-geometry';

describe('unionOf', () => {
  it('holds every box; none gives undefined', () => {
    expect(unionOf([])).toBeUndefined();
    expect(
      unionOf([
        { x: 0, y: 10, width: 100, height: 50 },
        { x: -20, y: 40, width: 10, height: 100 },
      ]),
    ).toEqual({ x: -20, y: 10, width: 120, height: 130 });
  });
});

describe('boxesPath', () => {
  it('draws a square rectangle per box without a radius', () => {
    expect(boxesPath([{ x: 1, y: 2, width: 30, height: 10 }], 0)).toBe('M1 2h30v10h-30v-10z');
  });
  it('rounds the corners, never more than half a side', () => {
    expect(boxesPath([{ x: 0, y: 0, width: 20, height: 10 }], 5)).toBe(
      'M5 0h10a5 5 0 0 1 5 5v0a5 5 0 0 1 -5 5h-10a5 5 0 0 1 -5 -5v0a5 5 0 0 1 5 -5z',
    );
    expect(boxesPath([{ x: 0, y: 0, width: 4, height: 40 }], 5)).toContain('a2 2 0 0 1 2 2');
  });
  it('puts all the boxes in one path', () => {
    const boxes = Array.from({ length: 1000 }, (_, i) => ({ x: i * 300, y: 0, width: 240, height: 64 }));
    expect(boxesPath(boxes, 5).match(/M/g)).toHaveLength(1000);
  });
});

describe('minimapView', () => {
  // React Flow's <MiniMap> for a 160 × 100 map (its arithmetic, worked by hand).
  it('fits a wide box by its width and centres it vertically, with a 5 px margin', () => {
    const v = minimapView({ x: 0, y: 0, width: 1600, height: 500 }, { width: 160, height: 100 });
    expect(v.scale).toBe(10);
    expect(v).toEqual({ x: -50, y: -300, width: 1700, height: 1100, scale: 10 });
  });
  it('fits a tall box by its height', () => {
    const v = minimapView({ x: 100, y: 100, width: 100, height: 1000 }, { width: 160, height: 100 }, 0);
    expect(v.scale).toBe(10);
    expect(v.x).toBe(100 - (1600 - 100) / 2);
    expect(v.y).toBe(100);
  });
});

describe('maskPath', () => {
  it('covers the view and cuts out the visible part', () => {
    expect(maskPath({ x: 0, y: 0, width: 100, height: 50 }, { x: 10, y: 10, width: 20, height: 20 }, 1)).toBe(
      'M-1,-1h102v52h-102z M10,10h20v20h-20z',
    );
  });
});
