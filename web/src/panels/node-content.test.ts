import { describe, expect, it } from 'vitest';
import { contentMemo, sameContent } from './node-content';

const data = { a: { label: 'a' }, b: { label: 'b' } };
const node = (id: 'a' | 'b', x = 0, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'component',
  position: { x, y: 0 },
  data: data[id],
  ...extra,
});

describe('sameContent', () => {
  it.each([
    ['a move', [node('a'), node('b')], [node('a', 50), node('b')], true],
    [
      'a selection and a measured size',
      [node('a')],
      [node('a', 0, { selected: true, measured: { width: 9 } })],
      true,
    ],
    ['an edited node (new data object)', [node('a')], [{ ...node('a'), data: { label: 'a' } }], false],
    ['another kind', [node('a')], [{ ...node('a'), type: 'python' }], false],
    ['an added node', [node('a')], [node('a'), node('b')], false],
    ['a removed node', [node('a'), node('b')], [node('a')], false],
    ['the same nodes in another order', [node('a'), node('b')], [node('b'), node('a')], false],
  ])('%s → %s', (_, before, after, same) => {
    expect(sameContent(before, after)).toBe(same);
  });
});

describe('contentMemo', () => {
  it('gives the first array back while only positions change, a new one once data changes', () => {
    const memo = contentMemo<ReturnType<typeof node>>();
    const first = [node('a'), node('b')];
    expect(memo(first)).toBe(first);
    expect(memo([node('a', 10), node('b', 20)])).toBe(first);
    const edited = [node('a', 10), { ...node('b'), data: { label: 'c' } }];
    expect(memo(edited)).toBe(edited);
    expect(memo([...edited])).toBe(edited);
  });
});
