import { describe, expect, it } from 'vitest';
import { FIT_PADDING, minimapRect } from './fit-view';
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

  it('frames a graph above the minimap, as Fit does (no node under the bottom-right corner)', () => {
    const wide = { width: 1000, height: 600 };
    const minimap = minimapRect(wide);
    // The strip Fit keeps free at the bottom (minimap, zoom controls) stays free; centred in the whole pane, as
    // the view opened before, the first graph reached under the minimap.
    for (const bounds of [
      { x: 0, y: 0, width: 900, height: 500 },
      { x: -300, y: 80, width: 1_400, height: 240 },
      { x: 40, y: 40, width: 400, height: 600 },
    ]) {
      const v = openingViewport(bounds, wide);
      const bottomRight = onScreen(v, { x: bounds.x + bounds.width, y: bounds.y + bounds.height });
      expect(bottomRight.y).toBeLessThanOrEqual(wide.height - FIT_PADDING.bottom + 0.01);
      expect(bottomRight.y).toBeLessThanOrEqual(minimap.y);
      expect(onScreen(v, bounds).y).toBeGreaterThanOrEqual(VIEW_MARGIN - 0.01);
    }
  });

  it('centres with an even margin where there is no minimap (the lineage drawing)', () => {
    const wide = { width: 1000, height: 600 };
    const bounds = { x: 0, y: 0, width: 900, height: 500 };
    const v = openingViewport(bounds, wide, undefined, 0.9, { minimap: false });
    const topLeft = onScreen(v, bounds);
    const bottomRight = onScreen(v, { x: 900, y: 500 });
    expect(topLeft.y).toBeCloseTo(wide.height - bottomRight.y, 5);
    expect(topLeft.x).toBeCloseTo(wide.width - bottomRight.x, 5);
    expect(Math.min(topLeft.x, topLeft.y)).toBeCloseTo(VIEW_MARGIN, 5);
  });

  it('refits a saved view that puts the graph under the minimap, and keeps one clear of it', () => {
    const wide = { width: 1000, height: 600 };
    const bounds = { x: 0, y: 0, width: 300, height: 200 };
    // Bottom-right of the graph at (980, 580): inside the pane, but under the minimap.
    const underMinimap = { x: 680, y: 380, zoom: 1 };
    const refit = openingViewport(bounds, wide, underMinimap);
    expect(refit).not.toEqual(underMinimap);
    expect(onScreen(refit, { x: 300, y: 200 }).y).toBeLessThanOrEqual(minimapRect(wide).y);
    // The same height at the left: clear of the minimap, kept as saved.
    const clear = { x: 20, y: 380, zoom: 1 };
    expect(openingViewport(bounds, wide, clear)).toBe(clear);
  });

  it('opens a graph too big to read when fitted at a readable zoom, on its top-left corner', () => {
    const bounds = { x: -200, y: 40, width: 10_000, height: 3_000 };
    const v = openingViewport(bounds, pane);
    expect(v.zoom).toBe(MIN_READABLE_ZOOM);
    expect(onScreen(v, bounds)).toEqual({ x: VIEW_MARGIN, y: VIEW_MARGIN });
  });
});
