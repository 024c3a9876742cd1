import { describe, expect, it } from 'vitest';
import { envStatus, maskValue, parseDotenv, quoteDotenv } from './env-store.js';

describe('dotenv', () => {
  it('parses bare, quoted, exported and multi-line values, keeping comments as lines', () => {
    const lines = parseDotenv(
      '# comment\nA=plain # trailing\nexport B="x \\"y\\"\\nz"\nC=\'single # kept\'\nD="multi\nline"\n\nnot a var\n',
    );
    expect(lines.filter((l) => l.name).map((l) => [l.name, l.value])).toEqual([
      ['A', 'plain'],
      ['B', 'x "y"\nz'],
      ['C', 'single # kept'],
      ['D', 'multi\nline'],
    ]);
    expect(lines.filter((l) => !l.name).map((l) => l.text)).toEqual(['# comment', '', 'not a var']);
  });

  it('round-trips any value through quoteDotenv', () => {
    for (const value of ['', 'a b', 'x"y', 'back\\slash', 'new\nline', "it's # not"]) {
      const [line] = parseDotenv(`K=${quoteDotenv(value)}\n`);
      expect(line?.value).toBe(value);
    }
  });

  it('masks: at most the last two characters, none for short values', () => {
    expect(maskValue('abcdefgh')).toBe('••••••gh');
    expect(maskValue('abcdefg')).toBe('••••');
    expect(maskValue('')).toBe('••••');
  });

  it("reports a variable set only in the server's environment as set from 'server'", () => {
    const status = envStatus(
      [{ name: 'A', required: true, usedBy: ['n'] }],
      { B: 'x' },
      { A: 'server-value' },
    );
    expect(status).toEqual([
      { name: 'A', required: true, usedBy: ['n'], set: true, source: 'server', masked: '••••••ue' },
      { name: 'B', required: false, usedBy: [], set: true, source: '.env', masked: '••••' },
    ]);
  });
});
