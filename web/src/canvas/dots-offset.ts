// Where the canvas's dot grid layer sits (see DotsBackground.tsx): it is one gap wider and taller than the pane on
// each side and only ever moves by less than one gap, so a pan moves an already painted layer instead of painting
// the pattern again.

/** The layer's offset (screen px, in [-gap, 0)) that puts its dots where the view's translation `t` puts them. */
export function dotsOffset(t: number, gap: number): number {
  if (!(gap > 0)) return 0;
  const rest = ((t % gap) + gap) % gap;
  return rest - gap;
}
