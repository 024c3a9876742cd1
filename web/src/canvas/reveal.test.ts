import { describe, expect, it } from 'vitest';
import { revealViewport } from './reveal';

const pane = { width: 800, height: 600 };
const at = (x: number, y: number) => ({ x, y, width: 240, height: 76 });

describe('revealViewport', () => {
  it.each([
    ['a node in view keeps the view', { x: 0, y: 0, zoom: 1 }, at(100, 100), { x: 0, y: 0, zoom: 1 }],
    [
      'above the top edge: moves down just enough',
      { x: 0, y: 0, zoom: 1 },
      at(100, -50),
      { x: 0, y: 74, zoom: 1 },
    ],
    ['past the right edge: moves left', { x: 0, y: 0, zoom: 1 }, at(700, 100), { x: -164, y: 0, zoom: 1 }],
    ['below and left, at zoom 0.5', { x: 0, y: 0, zoom: 0.5 }, at(-100, 1200), { x: 74, y: -62, zoom: 0.5 }],
    ['a view already panned', { x: -300, y: -200, zoom: 1 }, at(250, 150), { x: -226, y: -126, zoom: 1 }],
  ])('%s', (_name, viewport, box, expected) => {
    expect(revealViewport(viewport, box, pane)).toEqual(expected);
  });

  it('a node bigger than the pane shows its top-left', () => {
    const big = { x: 100, y: 100, width: 2000, height: 76 };
    expect(revealViewport({ x: 0, y: 0, zoom: 1 }, big, pane)).toEqual({ x: -76, y: 0, zoom: 1 });
  });
});
