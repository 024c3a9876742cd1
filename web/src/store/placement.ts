// Where a new node goes: as near as possible to where it belongs (the drop point, the view centre, left of the
// node that uses it), on a free spot, so nothing an action adds ever lands on top of another node.
import type { XYPosition } from '@xyflow/react';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Size of a node that has not been measured yet (a component node is about this big). */
export const NODE_SIZE = { width: 240, height: 76 };
/** Space kept free around every node. */
const GAP = 24;
const STEP = 16;
const MAX_RINGS = 60;

type Placed = { position: XYPosition; measured?: { width?: number; height?: number } };

export const boxOf = (n: Placed): Box => ({
  x: n.position.x,
  y: n.position.y,
  width: n.measured?.width ?? NODE_SIZE.width,
  height: n.measured?.height ?? NODE_SIZE.height,
});

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width + GAP &&
  b.x < a.x + a.width + GAP &&
  a.y < b.y + b.height + GAP &&
  b.y < a.y + a.height + GAP;

/**
 * The offset nearest to `desired` that puts every box clear of every obstacle. Candidates lie on a 16 px grid
 * around it; moving up or down costs less than moving sideways, so a node stays in the column it was meant
 * for (left of its user, under the cursor) and slides to the first free row.
 */
export function freeOffset(
  boxes: readonly Box[],
  obstacles: readonly Box[],
  desired: XYPosition,
): XYPosition {
  if (boxes.length === 0) return desired;
  // Only what lies within reach of the search can be in the way.
  const reach = MAX_RINGS * STEP + GAP;
  const left = Math.min(...boxes.map((b) => b.x)) + desired.x - reach;
  const top = Math.min(...boxes.map((b) => b.y)) + desired.y - reach;
  const right = Math.max(...boxes.map((b) => b.x + b.width)) + desired.x + reach;
  const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + desired.y + reach;
  const near = obstacles.filter(
    (o) => o.x < right && o.x + o.width > left && o.y < bottom && o.y + o.height > top,
  );
  const clear = (dx: number, dy: number) =>
    boxes.every((b) => {
      const moved = { ...b, x: b.x + dx, y: b.y + dy };
      return near.every((o) => !overlaps(moved, o));
    });
  if (clear(desired.x, desired.y)) return desired;
  let best = null as { at: XYPosition; cost: number } | null;
  for (let ring = 1; ring <= MAX_RINGS; ring++) {
    // Every grid point on the square ring `ring` steps out. The cheapest point of a ring costs ring², so once
    // the best found costs no more than the next ring's cheapest, no later ring can beat it.
    for (let i = -ring; i <= ring; i++) {
      for (const [gx, gy] of [
        [i, -ring],
        [i, ring],
        [-ring, i],
        [ring, i],
      ] as const) {
        const cost = (2 * gx) ** 2 + gy ** 2;
        if (best && cost >= best.cost) continue;
        const dx = desired.x + gx * STEP;
        const dy = desired.y + gy * STEP;
        if (clear(dx, dy)) best = { at: { x: dx, y: dy }, cost };
      }
    }
    if (best && best.cost <= (ring + 1) ** 2) return best.at;
  }
  if (best) return best.at;
  // Nothing free within reach (a packed canvas): below everything, in the same column.
  const lowest = Math.max(...obstacles.map((o) => o.y + o.height));
  return { x: desired.x, y: lowest + GAP + 1 - Math.min(...boxes.map((b) => b.y)) };
}

/** A free position for one new node of `size`, as near `desired` as the other nodes allow. */
export function freePosition(
  nodes: readonly Placed[],
  desired: XYPosition,
  size: { width: number; height: number } = NODE_SIZE,
): XYPosition {
  const at = freeOffset([{ x: 0, y: 0, ...size }], nodes.map(boxOf), desired);
  return { x: Math.round(at.x), y: Math.round(at.y) };
}
