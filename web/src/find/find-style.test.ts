import { describe, expect, it } from 'vitest';
import { cssStringContents, findMatchCss } from './find-style';

describe('findMatchCss', () => {
  it('no match: no rule', () => {
    expect(findMatchCss([])).toBe('');
  });
  it('one selector per matching node, inside the rule that lifts them out of the dimmed rest', () => {
    const css = findMatchCss(['n1', 'group-7']);
    expect(css).toBe(
      '.react-flow.finding .react-flow__node:is([data-id="n1"],[data-id="group-7"]){opacity:1;outline:2px solid var(--focus);outline-offset:3px;border-radius:10px}',
    );
  });
  it.each([
    ['a"b', 'a\\"b'],
    ['a\\b', 'a\\\\b'],
    ['a\nb', 'a\\a b'],
    ['a}b{c', 'a}b{c'],
    ['ünï', 'ünï'],
  ])('an id %j is escaped as %j, so it cannot end the string or the rule', (id, escaped) => {
    expect(cssStringContents(id)).toBe(escaped);
    expect(findMatchCss([id])).toContain(`[data-id="${escaped}"]`);
  });
});
