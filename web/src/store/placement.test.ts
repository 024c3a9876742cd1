import { describe, expect, it } from 'vitest';
import { boxOf, freeOffset, freePosition, NODE_SIZE, type Box } from './placement';

const node = (x: number, y: number, width = NODE_SIZE.width, height = NODE_SIZE.height) => ({
  position: { x, y },
  measured: { width, height },
});
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('freePosition', () => {
  it.each([
    ['an empty canvas', [], { x: 100, y: 50 }],
    ['a spot far from every node', [node(0, 0)], { x: 600, y: 0 }],
  ])('keeps the asked position on %s', (_, nodes, at) => {
    expect(freePosition(nodes, at)).toEqual(at);
  });

  it.each([
    ['exactly on a node', [node(0, 0)], { x: 0, y: 0 }],
    ['half over a node', [node(0, 0)], { x: 100, y: 30 }],
    ['over a tall node', [node(0, 0, 240, 300)], { x: 0, y: 100 }],
    ['in a crowded column', [node(0, 0), node(0, 112), node(0, 224), node(0, -112)], { x: 0, y: 0 }],
    [
      'on a wall of nodes',
      Array.from({ length: 40 }, (_, i) => node((i % 8) * 264, Math.floor(i / 8) * 100)),
      { x: 300, y: 150 },
    ],
  ])('moves a node asked for %s to the nearest free spot', (_, nodes, at) => {
    const placed = freePosition(nodes, at);
    const box = { ...placed, ...NODE_SIZE };
    for (const n of nodes) expect(overlap(box, boxOf(n))).toBe(false);
    // Near where it was asked for, not thrown across the canvas.
    expect(Math.hypot(placed.x - at.x, placed.y - at.y)).toBeLessThan(700);
  });

  it('prefers sliding up or down (the same column) over sliding sideways', () => {
    // A connection asked for left of its SQL node, where another upstream node already is.
    const placed = freePosition([node(0, 200)], { x: 0, y: 200 });
    expect(placed.x).toBe(0);
    expect(Math.abs(placed.y - 200)).toBeGreaterThanOrEqual(NODE_SIZE.height);
  });
});

describe('freeOffset', () => {
  it('moves a pasted group as one, clear of the nodes already there', () => {
    const group = [boxOf(node(0, 0)), boxOf(node(320, 0))];
    const offset = freeOffset(group, group, { x: 40, y: 40 });
    for (const b of group)
      for (const o of group) expect(overlap({ ...b, x: b.x + offset.x, y: b.y + offset.y }, o)).toBe(false);
  });

  it('places among 1000 nodes in milliseconds', () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => node((i % 40) * 264, Math.floor(i / 40) * 100));
    const started = performance.now();
    const placed = freePosition(nodes, { x: 2000, y: 1000 });
    expect(performance.now() - started).toBeLessThan(500);
    for (const n of nodes) expect(overlap({ ...placed, ...NODE_SIZE }, boxOf(n))).toBe(false);
  });
});
