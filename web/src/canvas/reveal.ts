// A node an action puts on the canvas is seen: when the free spot found for it lies (partly) outside the visible
// pane, for instance above a drop near the pane's top edge, the view moves just enough to show it whole.
import type { Viewport } from '@xyflow/react';
import type { Box } from '../store/placement';

/** Screen pixels kept between a revealed node and the pane's edge. */
const MARGIN = 24;

/** One axis: the shift (screen px) that brings [start, end] inside [0, size] with the margin; 0 when it is in. */
function shift(start: number, end: number, size: number): number {
  if (start >= MARGIN && end <= size - MARGIN) return 0;
  if (end - start > size - 2 * MARGIN) return MARGIN - start; // too big to fit: show its start
  return start < MARGIN ? MARGIN - start : size - MARGIN - end;
}

/** The viewport that shows `box` (flow coordinates) whole in a pane of `pane` size, moving as little as possible. */
export function revealViewport(
  viewport: Viewport,
  box: Box,
  pane: { width: number; height: number },
): Viewport {
  const left = box.x * viewport.zoom + viewport.x;
  const top = box.y * viewport.zoom + viewport.y;
  const dx = shift(left, left + box.width * viewport.zoom, pane.width);
  const dy = shift(top, top + box.height * viewport.zoom, pane.height);
  return dx === 0 && dy === 0 ? viewport : { ...viewport, x: viewport.x + dx, y: viewport.y + dy };
}
