import { describe, expect, it } from 'vitest';
import { keyProblem, keyText, withAssetKey } from './AssetKeyField';

describe('the Asset key field', () => {
  it.each([
    ['orders', null],
    ['analytics/orders', null],
    ['', 'An asset needs a key.'],
    ['a//b', 'A key has no empty parts: write "a/b", not "a//b" or "a/".'],
    ['my orders', 'A key has no spaces: use _ between words and / between the parts.'],
  ])('"%s" → %s', (text, problem) => expect(keyProblem(text)).toBe(problem));

  it.each([
    ['orders', 'orders'],
    [['raw', 'orders'], 'raw/orders'],
    [{ path: ['raw', 'orders'] }, 'raw/orders'],
    [undefined, ''],
  ])('shows the key %j as "%s"', (key, text) => expect(keyText(key)).toBe(text));

  it('writes the key of one asset and keeps the rest of every asset', () => {
    const attributes = {
      assets: [{ key: 'a', deps: ['x'] }, { key: 'b' }],
      execution: { path: 'a.py' },
    };
    expect(withAssetKey(attributes, 0, 'orders')).toEqual({
      assets: [{ key: 'orders', deps: ['x'] }, { key: 'b' }],
      execution: { path: 'a.py' },
    });
    expect(attributes.assets[0]!.key).toBe('a');
  });
});
