// The view a project opens with: every node in sight with a margin (React Flow's fitView, as Dagster's asset
// graph and n8n open a graph), unless the view saved with the project already shows them all. A graph too big to
// fit at a readable zoom opens at that zoom on its top-left corner, where a left-to-right pipeline starts.
import type { Rect, Viewport } from '@xyflow/react';

/** Margin between the outermost nodes and the edge of the canvas, in screen pixels. */
export const VIEW_MARGIN = 56;
/** Below this zoom a node's name is too small to read. */
export const MIN_READABLE_ZOOM = 0.6;

/** Closer to the edge than this, a node reads as cut off. */
const EDGE = 8;

const shows = (v: Viewport, bounds: Rect, pane: { width: number; height: number }) =>
  bounds.x * v.zoom + v.x >= EDGE &&
  bounds.y * v.zoom + v.y >= EDGE &&
  (bounds.x + bounds.width) * v.zoom + v.x <= pane.width - EDGE &&
  (bounds.y + bounds.height) * v.zoom + v.y <= pane.height - EDGE;

export function openingViewport(
  bounds: Rect,
  pane: { width: number; height: number },
  saved?: Viewport,
  readable = MIN_READABLE_ZOOM,
): Viewport {
  if (saved && shows(saved, bounds, pane)) return saved;
  const fit = Math.min(
    1,
    (pane.width - 2 * VIEW_MARGIN) / Math.max(bounds.width, 1),
    (pane.height - 2 * VIEW_MARGIN) / Math.max(bounds.height, 1),
  );
  if (fit >= readable)
    return {
      zoom: fit,
      x: pane.width / 2 - (bounds.x + bounds.width / 2) * fit,
      y: pane.height / 2 - (bounds.y + bounds.height / 2) * fit,
    };
  const zoom = readable;
  return { zoom, x: VIEW_MARGIN - bounds.x * zoom, y: VIEW_MARGIN - bounds.y * zoom };
}
