import { describe, expect, it } from 'vitest';
import { editorLanguageOf } from '../editor/CodeEditor';
import { dbtProjectDir } from './NodeCode';
import { fromYaml, pruneConfig, toYaml, type Schema } from './RunDialog';

describe('editor helpers', () => {
  it('picks the language from the file name', () => {
    expect(['a.py', 'q.SQL', 'defs.yaml', 'x.yml', 'README.md'].map(editorLanguageOf)).toEqual([
      'python',
      'sql',
      'yaml',
      'yaml',
      'text',
    ]);
  });

  it('finds a dbt project folder from the project attribute, and refuses one that climbs out', () => {
    expect(dbtProjectDir('{{ context.project_root }}/dbt_shop', 'shop', 'dbt')).toBe('dbt_shop');
    expect(dbtProjectDir('../../../../dbt_shop', 'shop', 'dbt')).toBe('dbt_shop');
    expect(dbtProjectDir({ project_dir: 'proj' }, 'shop', 'dbt')).toBe('src/shop/defs/dbt/proj');
    expect(dbtProjectDir('../../../../../../etc', 'shop', 'dbt')).toBeNull();
    expect(dbtProjectDir(undefined, 'shop', 'dbt')).toBeNull();
  });

  it('keeps only the run configuration the user filled, and selector choices even when empty', () => {
    const selector: Schema = {
      oneOf: [{ properties: { in_process: {} } }, { properties: { multiprocess: {} } }],
    };
    const schema: Schema = { properties: { execution: { properties: { config: selector } }, ops: {} } };
    expect(
      pruneConfig(
        { ops: { a: { config: { limit: 3, empty: {} } }, b: { config: {} } }, execution: {}, x: undefined },
        schema,
      ),
    ).toEqual({ ops: { a: { config: { limit: 3 } } } });
    expect(pruneConfig({ execution: { config: { in_process: {} } } }, schema)).toEqual({
      execution: { config: { in_process: {} } },
    });
    // Dagster refuses an empty selector: it goes, and the default applies.
    expect(pruneConfig({ execution: { config: {} } }, schema)).toBeUndefined();
    expect(pruneConfig({ list: [1, 'x'] })).toEqual({ list: [1, 'x'] });
  });

  it('round-trips the run configuration through YAML, and says what is wrong with bad YAML', () => {
    const value = { ops: { a: { config: { limit: 3 } } } };
    expect(fromYaml(toYaml(value, {}))).toEqual({ value });
    expect(toYaml({}, {})).toBe('');
    expect(fromYaml('')).toEqual({ value: {} });
    expect(fromYaml('- a list')).toEqual({ error: expect.stringContaining('mapping') });
    expect('error' in fromYaml('ops: [unclosed')).toBe(true);
  });
});
