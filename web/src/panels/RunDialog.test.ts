import { describe, expect, it } from 'vitest';
import { fromYaml, pruneConfig, toYaml, type Schema } from './RunDialog';

describe('run configuration values', () => {
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
