import { describe, expect, it } from 'vitest';
import { migrateProjectFile, ProjectFormatError, type Migration } from './migrations.js';

// A made-up history (1 → 2 renames a key, 2 → 3 adds a default) proves the framework on real steps.
const history: Record<number, Migration> = {
  1: ({ title, ...rest }) => ({ ...rest, name: title }),
  2: (doc) => ({ ...doc, git_branch: doc.git_branch ?? 'main' }),
};

describe('migrateProjectFile', () => {
  const ok: Array<[string, unknown, number, Record<string, unknown>]> = [
    ['current format passes through', { formatVersion: 1, name: 'a' }, 1, { formatVersion: 1, name: 'a' }],
    [
      '1 → 3 applies both steps',
      { formatVersion: 1, title: 't' },
      3,
      { formatVersion: 3, name: 't', git_branch: 'main' },
    ],
    [
      '2 → 3 applies one step',
      { formatVersion: 2, name: 'n', git_branch: 'dev' },
      3,
      { formatVersion: 3, name: 'n', git_branch: 'dev' },
    ],
  ];
  it.each(ok)('%s', (_name, input, current, expected) => {
    expect(migrateProjectFile(input, history, current)).toEqual(expected);
  });

  const bad: Array<[string, unknown, number, string]> = [
    ['not an object', [1, 2], 1, 'not_an_object'],
    ['null', null, 1, 'not_an_object'],
    ['no formatVersion', { name: 'x' }, 1, 'unknown_format'],
    ['string formatVersion', { formatVersion: '1' }, 1, 'unknown_format'],
    ['zero', { formatVersion: 0 }, 1, 'unknown_format'],
    ['future format', { formatVersion: 4 }, 3, 'future_format'],
    ['gap in history', { formatVersion: 1 }, 5, 'unknown_format'],
  ];
  it.each(bad)('refuses %s', (_name, input, current, code) => {
    try {
      migrateProjectFile(input, history, current);
      expect.fail('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ProjectFormatError);
      expect((error as ProjectFormatError).code).toBe(code);
    }
  });

  it('does not mutate its input', () => {
    const input = { formatVersion: 1, title: 't' };
    migrateProjectFile(input, history, 3);
    expect(input).toEqual({ formatVersion: 1, title: 't' });
  });
});
