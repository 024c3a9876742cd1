import { describe, expect, it } from 'vitest';
import { languageOf, tokenizeLine } from './highlight';

describe('highlighter', () => {
  it('finds languages by extension', () => {
    expect([
      languageOf('a/defs.yaml'),
      languageOf('x.py'),
      languageOf('m.sql'),
      languageOf('pyproject.toml'),
      languageOf('README.md'),
    ]).toEqual(['yaml', 'python', 'sql', 'toml', 'text']);
  });
  it('marks YAML keys, templates and comments', () => {
    const tokens = tokenizeLine('  project: "{{ context.project_root }}/dbt" # the dbt project', 'yaml');
    expect(tokens.filter((t) => t.kind).map((t) => [t.kind, t.text])).toEqual([
      ['key', 'project'],
      ['string', '"{{ context.project_root }}/dbt"'],
      ['comment', '# the dbt project'],
    ]);
    expect(tokens.map((t) => t.text).join('')).toBe(
      '  project: "{{ context.project_root }}/dbt" # the dbt project',
    );
  });
  it('marks Python and SQL keywords', () => {
    expect(
      tokenizeLine('from dagster import asset', 'python')
        .filter((t) => t.kind === 'keyword')
        .map((t) => t.text),
    ).toEqual(['from', 'import']);
    expect(
      tokenizeLine('select id from orders -- all', 'sql')
        .filter((t) => t.kind)
        .map((t) => t.kind),
    ).toEqual(['keyword', 'keyword', 'comment']);
  });
});
