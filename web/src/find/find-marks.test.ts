import { describe, expect, it } from 'vitest';
import { MATCH_ATTRIBUTE, markElement, type Markable } from './find-marks';

/** A node element's stand-in: its attributes and how many times marking changed them. */
function element(
  attributes: Record<string, string>,
): Markable & { attributes: Map<string, string>; writes: number } {
  const map = new Map(Object.entries(attributes));
  return {
    attributes: map,
    writes: 0,
    getAttribute: (name) => map.get(name) ?? null,
    hasAttribute: (name) => map.has(name),
    toggleAttribute(name, force) {
      this.writes += 1;
      if (force) map.set(name, '');
      else map.delete(name);
      return force;
    },
  };
}

describe('markElement', () => {
  it.each([
    ['a match gets the attribute', { 'data-id': 'n1' }, ['n1'], true, 1],
    ['a node that no longer matches loses it', { 'data-id': 'n1', [MATCH_ATTRIBUTE]: '' }, ['n2'], false, 1],
    ['a match already marked is not touched', { 'data-id': 'n1', [MATCH_ATTRIBUTE]: '' }, ['n1'], true, 0],
    ['a node not matching and not marked is not touched', { 'data-id': 'n1' }, [], false, 0],
    ['an element without an id is never a match', {}, ['n1'], false, 0],
    ['ids are compared whole, quotes and all', { 'data-id': 'a"b' }, ['a"b'], true, 1],
    ['no prefix match', { 'data-id': 'n1' }, ['n10'], false, 0],
  ])('%s', (_, attributes, matches, marked, writes) => {
    const e = element(attributes);
    expect(markElement(e, new Set(matches))).toBe(writes > 0);
    expect(e.attributes.has(MATCH_ATTRIBUTE)).toBe(marked);
    expect(e.writes).toBe(writes);
  });
});
