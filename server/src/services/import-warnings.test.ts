import { describe, expect, it } from 'vitest';
import { declaredTypes, importLoadWarning } from './import-warnings.js';

const files = new Map([
  ['src/shop/defs/legacy/defs.yaml', ['PythonScriptComponent']],
  ['src/shop/defs/ingest/defs.yaml', ['dagster.PythonScriptComponent']],
]);
const invalidType =
  'ValueError: Invalid component type name: `PythonScriptComponent`.\nType names must be a "."-separated string of valid Python identifiers with at least two segments.';

describe('importLoadWarning', () => {
  it.each([
    [
      'an invalid component type name, with the file that names it',
      { severity: 'error' as const, message: invalidType },
      {
        message:
          /^defs\/legacy\/defs\.yaml: its component type "PythonScriptComponent" is not a full Python path .*not drawn as edges\.$/,
        hint: /^Write the type in full, e\.g\. dagster\.PythonScriptComponent .*Dagster's message: ValueError: Invalid component type name/,
        file: 'src/shop/defs/legacy/defs.yaml',
      },
    ],
    [
      'a missing Python module',
      {
        severity: 'error' as const,
        message: "ModuleNotFoundError: No module named 'pandas'",
        missing_module: 'pandas',
      },
      { message: /imports the Python module "pandas", which its environment does not have/, hint: /uv add/ },
    ],
    [
      'a YAML syntax error at its line',
      {
        severity: 'error' as const,
        message: 'yaml.scanner.ScannerError: while scanning a simple key',
        file: 'src/shop/defs/x/defs.yaml',
        line: 3,
      },
      {
        message: /^src\/shop\/defs\/x\/defs\.yaml line 3 is not valid YAML\./,
        file: 'src/shop/defs/x/defs.yaml',
      },
    ],
    [
      'anything else, named by its exception',
      { severity: 'error' as const, message: 'KeyError: boom' },
      { message: /^Dagster could not load .* \(KeyError\)\.$/, hint: /Dagster's message: KeyError: boom$/ },
    ],
  ])("words %s for a person, keeping Dagster's text in the hint", (_, raw, expected) => {
    const warning = importLoadWarning(raw, files);
    expect(warning.severity).toBe('warning');
    expect(warning.message).toMatch(expected.message);
    if ('hint' in expected) expect(warning.hint).toMatch(expected.hint);
    if ('file' in expected) expect(warning.file).toBe(expected.file);
    // The plain words never start with a Python exception name.
    expect(warning.message).not.toMatch(/^[A-Za-z.]*Error:/);
  });
});

describe('declaredTypes', () => {
  it('reads the type of each document', () => {
    expect(declaredTypes('type: a.B\nattributes: {}\n---\ntype: "C"\n')).toEqual(['a.B', 'C']);
  });
});
