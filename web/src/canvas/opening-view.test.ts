import { describe, expect, it } from 'vitest';
import { MIN_READABLE_ZOOM, VIEW_MARGIN, openingViewport } from './opening-view';

const pane = { width: 800, height: 500 };
const onScreen = (v: { x: number; y: number; zoom: number }, b: { x: number; y: number }) => ({
  x: b.x * v.zoom + v.x,
  y: b.y * v.zoom + v.y,
});

describe('openingViewport', () => {
  it('fits an imported graph placed at the origin with a margin on every side (no clipping)', () => {
    const bounds = { x: 0, y: 0, width: 560, height: 336 };
    const v = openingViewport(bounds, pane);
    const topLeft = onScreen(v, bounds);
    const bottomRight = onScreen(v, { x: bounds.width, y: bounds.height });
    expect(topLeft.x).toBeGreaterThanOrEqual(VIEW_MARGIN - 0.01);
    expect(topLeft.y).toBeGreaterThanOrEqual(VIEW_MARGIN - 0.01);
    expect(bottomRight.x).toBeLessThanOrEqual(pane.width - VIEW_MARGIN + 0.01);
    expect(bottomRight.y).toBeLessThanOrEqual(pane.height - VIEW_MARGIN + 0.01);
  });

  it('never zooms a small graph in beyond 100 %', () => {
    expect(openingViewport({ x: 100, y: 100, width: 240, height: 76 }, pane).zoom).toBe(1);
  });

  it('keeps a saved view that shows every node, and refits one that clips a node', () => {
    const bounds = { x: 0, y: 0, width: 300, height: 200 };
    const good = { x: 20, y: 20, zoom: 1 };
    expect(openingViewport(bounds, pane, good)).toBe(good);
    expect(openingViewport(bounds, pane, { x: -50, y: 20, zoom: 1 })).not.toEqual({ x: -50, y: 20, zoom: 1 });
    // A node flush with the edge reads as cut off too.
    expect(openingViewport(bounds, pane, { x: 500, y: 20, zoom: 1 })).not.toEqual({ x: 500, y: 20, zoom: 1 });
  });

  it('opens a graph too big to read when fitted at a readable zoom, on its top-left corner', () => {
    const bounds = { x: -200, y: 40, width: 10_000, height: 3_000 };
    const v = openingViewport(bounds, pane);
    expect(v.zoom).toBe(MIN_READABLE_ZOOM);
    expect(onScreen(v, bounds)).toEqual({ x: VIEW_MARGIN, y: VIEW_MARGIN });
  });
});
