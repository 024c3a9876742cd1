// The minimap's drawing (CanvasMiniMap.tsx), as React Flow's <MiniMap> lays it out, but with every node in one
// SVG path: React Flow's draws one <rect> per node, each subscribed to the flow's store, so at 1,000 nodes every
// drag step ran 1,000 selectors and repainted 1,000 rects (README "Performance", issue 18).

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The smallest box holding all of them (undefined for none). */
export function unionOf(boxes: readonly Box[]): Box | undefined {
  if (boxes.length === 0) return undefined;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.width);
    y1 = Math.max(y1, b.y + b.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

const r2 = (n: number) => Math.round(n * 100) / 100;

/** One path of rounded rectangles (`radius` in flow units, as React Flow's nodeBorderRadius). */
export function boxesPath(boxes: readonly Box[], radius: number): string {
  const parts: string[] = [];
  for (const b of boxes) {
    const r = Math.max(0, Math.min(radius, b.width / 2, b.height / 2));
    const w = r2(b.width - 2 * r);
    const h = r2(b.height - 2 * r);
    const a = r > 0 ? (dx: number, dy: number) => `a${r2(r)} ${r2(r)} 0 0 1 ${r2(dx)} ${r2(dy)}` : () => '';
    parts.push(
      `M${r2(b.x + r)} ${r2(b.y)}h${w}${a(r, r)}v${h}${a(-r, r)}h${-w}${a(-r, -r)}v${-h}${a(r, -r)}z`,
    );
  }
  return parts.join('');
}

/**
 * The minimap's viewBox for a box to show (the nodes and the visible part of the canvas together) in a minimap of
 * `size` screen pixels, with a margin of `offsetScale` screen pixels: React Flow's <MiniMap> arithmetic. `scale` is
 * flow units per minimap pixel.
 */
export function minimapView(
  shown: Box,
  size: { width: number; height: number },
  offsetScale = 5,
): Box & { scale: number } {
  const scale = Math.max(shown.width / size.width, shown.height / size.height);
  const viewWidth = scale * size.width;
  const viewHeight = scale * size.height;
  const offset = offsetScale * scale;
  return {
    x: shown.x - (viewWidth - shown.width) / 2 - offset,
    y: shown.y - (viewHeight - shown.height) / 2 - offset,
    width: viewWidth + offset * 2,
    height: viewHeight + offset * 2,
    scale,
  };
}

/** The grey mask outside the visible part of the canvas (an even-odd path with a hole), as React Flow's. */
export function maskPath(view: Box, visible: Box, offset: number): string {
  const { x, y, width, height } = view;
  return (
    `M${x - offset},${y - offset}h${width + offset * 2}v${height + offset * 2}h${-width - offset * 2}z ` +
    `M${visible.x},${visible.y}h${visible.width}v${visible.height}h${-visible.width}z`
  );
}
