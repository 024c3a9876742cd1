// The canvas's dot grid, as React Flow's <Background variant="dots"> draws it, but on a layer of its own that a pan
// moves instead of repainting: React Flow's pattern moves inside a pane-sized SVG, so every pan step painted and
// rastered the whole pane again (half the cost of a pan at 1,000 nodes, README "Performance"). This layer is one
// gap larger than the pane on each side, its pattern changes only with the zoom, and a pan only sets its
// transform, which the compositor applies.
import { useStore, type ReactFlowState } from '@xyflow/react';
import { dotsOffset } from './dots-offset';

const GAP = 16;
const SIZE = 1;
const transformOf = (s: ReactFlowState) => s.transform;

export function DotsBackground() {
  const [x, y, zoom] = useStore(transformOf);
  const gap = GAP * zoom || 1;
  const radius = (SIZE * zoom) / 2;
  // The SVG changes with the zoom only; a pan moves it by whole pixels (a fractional move blurs the dots).
  return (
    <svg
      className="react-flow__background canvas-dots"
      data-testid="canvas-dots"
      style={{
        width: `calc(100% + ${2 * gap}px)`,
        height: `calc(100% + ${2 * gap}px)`,
        transform: `translate3d(${Math.round(dotsOffset(x, gap))}px, ${Math.round(dotsOffset(y, gap))}px, 0)`,
      }}
      aria-hidden
    >
      <pattern
        id="canvas-dots"
        width={gap}
        height={gap}
        patternUnits="userSpaceOnUse"
        patternTransform={`translate(-${gap / 2},-${gap / 2})`}
      >
        <circle cx={radius} cy={radius} r={radius} className="react-flow__background-pattern dots" />
      </pattern>
      <rect x="0" y="0" width="100%" height="100%" fill="url(#canvas-dots)" />
    </svg>
  );
}
