// The view a project opens with: every node in sight with a margin (React Flow's fitView, as Dagster's asset
// graph and n8n open a graph), framed above the minimap and the zoom controls as Fit frames it (fit-view.ts),
// unless the view saved with the project already shows them all clear of the minimap. A graph too big to fit at
// a readable zoom opens at that zoom on its top-left corner, where a left-to-right pipeline starts.
import type { Rect, Viewport } from '@xyflow/react';
import { FIT_PADDING, minimapRect } from './fit-view';

/** Margin between the outermost nodes and the edge of the canvas, in screen pixels. */
export const VIEW_MARGIN = 56;
/** Below this zoom a node's name is too small to read. */
export const MIN_READABLE_ZOOM = 0.6;

/** Closer to the edge than this, a node reads as cut off. */
const EDGE = 8;

/** Margins of the opening frame: at least VIEW_MARGIN, and Fit's strip for the minimap at the bottom. */
const FRAME = {
  top: Math.max(VIEW_MARGIN, FIT_PADDING.top),
  left: Math.max(VIEW_MARGIN, FIT_PADDING.left),
  right: Math.max(VIEW_MARGIN, FIT_PADDING.right),
  bottom: Math.max(VIEW_MARGIN, FIT_PADDING.bottom),
};
/** A drawing without a minimap (the Assets tab's lineage) keeps an even margin. */
const EVEN = { top: VIEW_MARGIN, left: VIEW_MARGIN, right: VIEW_MARGIN, bottom: VIEW_MARGIN };

const overlaps = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Every node inside the pane, and none that could be under the minimap (only the nodes' bounds are known). */
const shows = (v: Viewport, bounds: Rect, pane: { width: number; height: number }, minimap: boolean) => {
  const screen = {
    x: bounds.x * v.zoom + v.x,
    y: bounds.y * v.zoom + v.y,
    width: bounds.width * v.zoom,
    height: bounds.height * v.zoom,
  };
  return (
    screen.x >= EDGE &&
    screen.y >= EDGE &&
    screen.x + screen.width <= pane.width - EDGE &&
    screen.y + screen.height <= pane.height - EDGE &&
    !(minimap && overlaps(screen, minimapRect(pane)))
  );
};

export function openingViewport(
  bounds: Rect,
  pane: { width: number; height: number },
  saved?: Viewport,
  readable = MIN_READABLE_ZOOM,
  { minimap = true }: { minimap?: boolean } = {},
): Viewport {
  if (saved && shows(saved, bounds, pane, minimap)) return saved;
  const margin = minimap ? FRAME : EVEN;
  const frame = {
    x: margin.left,
    y: margin.top,
    width: pane.width - margin.left - margin.right,
    height: pane.height - margin.top - margin.bottom,
  };
  const fit = Math.min(1, frame.width / Math.max(bounds.width, 1), frame.height / Math.max(bounds.height, 1));
  if (fit >= readable)
    return {
      zoom: fit,
      x: frame.x + frame.width / 2 - (bounds.x + bounds.width / 2) * fit,
      y: frame.y + frame.height / 2 - (bounds.y + bounds.height / 2) * fit,
    };
  const zoom = readable;
  return { zoom, x: margin.left - bounds.x * zoom, y: margin.top - bounds.y * zoom };
}
