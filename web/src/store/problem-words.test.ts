import type { Problem } from '@designer/shared';
import { describe, expect, it } from 'vitest';
import type { DesignerNode } from './graph-ops';
import { afterCheck, duplicateKeyOf, explainProblems } from './problem-words';

const node = (id: string, label: string, key: string): DesignerNode =>
  ({
    id,
    type: 'component',
    position: { x: 0, y: 0 },
    data: { label, component_type: 'dagster.PythonScriptComponent', attributes: { assets: [{ key }] } },
  }) as DesignerNode;

describe('duplicateKeyOf', () => {
  it.each([
    ["Duplicate asset key: AssetKey(['python_script'])", 'python_script'],
    ["DagsterInvalidDefinitionError: Duplicate asset key: AssetKey(['raw', 'orders'])", 'raw/orders'],
    ['Asset key raw/orders is defined multiple times. Definitions found in modules: a, b.', 'raw/orders'],
    ['Something else', null],
  ])('%s', (message, key) => expect(duplicateKeyOf(message)).toBe(key));
});

describe('explainProblems', () => {
  const nodes = [node('a', 'extract', 'orders'), node('b', 'extract_2', 'orders'), node('c', 'other', 'x')];

  it('puts a duplicate key on every node that defines it, with a hint', () => {
    const out = explainProblems(
      [{ severity: 'error', message: "Duplicate asset key: AssetKey(['orders'])" }],
      nodes,
      [],
    );
    expect(out.map((p) => [p.nodeId, p.message])).toEqual([
      ['a', 'extract: its asset key orders is also defined by extract_2.'],
      ['b', 'extract_2: its asset key orders is also defined by extract.'],
    ]);
    expect(out.every((p) => p.hint?.includes('unique'))).toBe(true);
  });

  it('also when Dagster put it on one of them', () => {
    const out = explainProblems(
      [{ severity: 'error', nodeId: 'b', message: "extract_2: Duplicate asset key: AssetKey(['orders'])" }],
      nodes,
      [],
    );
    expect(out.map((p) => p.nodeId)).toEqual(['a', 'b']);
  });

  it("says a library's words in the user's", () => {
    const problem: Problem = {
      severity: 'warning',
      message:
        'defs/reports/defs.yaml is kept as is but not shown: Source contains multiple documents; please use YAML.parseAllDocuments()',
      file: 'src/p/defs/reports/defs.yaml',
    };
    const [out] = explainProblems([problem], nodes, []);
    expect(out!.message).toBe(
      'defs/reports/defs.yaml is kept as is but not shown: it holds several components (YAML documents separated by ---)',
    );
    expect(out!.message).not.toMatch(/parseAllDocuments/);
    expect(out!.hint).toBeTruthy();
  });

  it("words Dagster's invalid component type for a person, at its file", () => {
    const [out] = explainProblems(
      [
        {
          severity: 'error',
          message:
            'ValueError: \nInvalid component type name: `PythonScriptComponent`.\nType names must be a "."-separated string of valid Python identifiers with at least two segments.',
          file: 'src/p/defs/legacy/defs.yaml',
        },
      ],
      nodes,
      [],
    );
    expect(out!.message).toBe(
      'This defs.yaml names its component type "PythonScriptComponent", which is not a full Python path (module and class), so Dagster cannot load the project',
    );
    expect(out!.hint).toMatch(/^Write the type in full/);
    expect(out!.file).toBe('src/p/defs/legacy/defs.yaml');
  });

  it('leaves other problems alone', () => {
    const problem: Problem = { severity: 'error', message: 'x: boom', nodeId: 'c' };
    expect(explainProblems([problem], nodes, [])).toEqual([problem]);
  });
});

describe('afterCheck', () => {
  const warning: Problem = {
    severity: 'warning',
    nodeId: 'd',
    message: 'dbt and warehouse write different DuckDB files',
  };
  const staleError: Problem = { severity: 'error', nodeId: 'a', message: 'old load error' };
  const checkError: Problem = { severity: 'error', nodeId: 'b', message: 'load error now' };

  it("keeps the preview's warnings and drops its errors, which the check's load replaces", () => {
    expect(afterCheck([], [warning, staleError])).toEqual([warning]);
    expect(afterCheck([checkError], [warning, staleError])).toEqual([checkError, warning]);
  });

  it('lists a warning the check repeats once', () => {
    expect(afterCheck([warning], [warning])).toEqual([warning]);
  });
});
