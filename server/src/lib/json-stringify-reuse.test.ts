import { describe, expect, it } from 'vitest';
import { stringifyReusingBytes } from './json-stringify-reuse.js';

const stringifyReusing = (value: object) => stringifyReusingBytes(value).toString('utf8');

const node = (i: number) => ({
  id: `n${i}`,
  position: { x: i, y: 0 },
  data: { label: `a_${i}`, tags: ['x'] },
});

describe('stringifyReusing', () => {
  it.each([
    [
      'a project',
      { formatVersion: 3, id: 'p', graph: { nodes: [node(1), node(2)], edges: [] }, env: [{ a: 1 }] },
    ],
    [
      'members JSON.stringify leaves out',
      { a: undefined, f: () => 1, graph: { nodes: [undefined, () => 1, 2] } },
    ],
    [
      'scalars, nulls and nested arrays',
      { a: null, b: NaN, c: 'q"\n', graph: { nodes: [null, 'x', [1, [2]], {}] } },
    ],
    ['an object with toJSON', { when: new Date(0), graph: { at: new Date(1), nodes: [new Date(2)] } }],
    [
      'keys that need escaping and integer keys',
      { 'a"b': 1, 2: 'two', 1: 'one', graph: { '\u2028': [node(3)] } },
    ],
    ['deeper arrays as they are', { graph: { viewport: { x: [node(4)] }, nodes: [{ deep: [node(5)] }] } }],
    ['a top-level array', [node(1)]],
  ])('%s: the same text as JSON.stringify', (_, value) => {
    expect(stringifyReusing(value)).toBe(JSON.stringify(value));
    expect(stringifyReusing(value)).toBe(JSON.stringify(value)); // and again, from the kept texts
  });

  it('keeps the text of each element object, so an unchanged one is not serialised again', () => {
    const kept = node(1);
    const first = { graph: { nodes: [kept, node(2)] } };
    expect(stringifyReusing(first)).toBe(JSON.stringify(first));
    // The kept text is written for the same object even once it changed: objects must not change once written.
    kept.position.x = 99;
    const second = { graph: { nodes: [kept, node(3)] } };
    expect(stringifyReusing(second)).not.toBe(JSON.stringify(second));
    expect(stringifyReusing(second)).toContain('"x":1,');
    // A new object with the same content is serialised afresh.
    const third = { graph: { nodes: [{ ...kept, position: { x: 99, y: 0 } }] } };
    expect(stringifyReusing(third)).toBe(JSON.stringify(third));
  });
});
