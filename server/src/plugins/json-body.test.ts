import { describe, expect, it } from 'vitest';
import { jsonDepth } from './json-body.js';

describe('jsonDepth', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":[1,{"b":2}]}', 3],
    ['{"a":"[[[[{{{{"}', 1],
    ['{"a":"\\"[[["}', 1],
    ['[[],[[]]]', 3],
  ])('%s → %i', (text, depth) => expect(jsonDepth(text)).toBe(depth));

  it('stops counting past the limit, so 100,000 levels cost nothing', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(jsonDepth(deep, 64)).toBe(65);
  });
});

describe('jsonDepth on escapes', () => {
  it.each([
    ['{"a":"\\\\"}', 1],
    ['{"a":"\\\\\\"[["}', 1],
    ['{"a":"x\\\\\\\\"}', 1],
    ['[{"a":"\\\\\\\\"},[[]]]', 3],
  ])('%s → %i', (text, depth) => expect(jsonDepth(text)).toBe(depth));
});
