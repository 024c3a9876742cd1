import { describe, expect, it } from 'vitest';
import type { DesignerNode } from '../store/graph-ops';
import { filesPending, nodeFilePaths } from './pending-files';

const node = (component_type: string, attributes: Record<string, unknown>, label = 'load') =>
  ({ id: 'n1', type: 'component', data: { label, component_type, attributes } }) as unknown as DesignerNode;

describe('nodeFilePaths', () => {
  it.each([
    [
      'a script in its own folder',
      node('dagster.PythonScriptComponent', { execution: { path: 'load.py' } }),
      ['src/shop/defs/load/load.py'],
    ],
    [
      'a script from the project root: no starter is written there, nothing to wait for',
      node('dagster.PythonScriptComponent', {
        execution: { path: '{{ context.project_root }}/scripts/x.py' },
      }),
      [],
    ],
    [
      'a SQL template file',
      node('dagster.TemplatedSqlComponent', { sql_template: { path: 'q.sql' } }, 'q'),
      ['src/shop/defs/q/q.sql'],
    ],
    ['inline SQL: no file', node('dagster.TemplatedSqlComponent', { sql_template: 'select 1' }, 'q'), []],
    ['a dbt project: no script', node('dagster_dbt.DbtProjectComponent', { project: 'dbt' }), []],
    [
      'a uv-run script: the sync writes no starter for it, nothing to wait for',
      node('dagster.UvRunComponent', { execution: { path: 'load.py' } }),
      [],
    ],
  ])('%s', (_, n, expected) => {
    expect(nodeFilePaths(n, 'shop')).toEqual(expected);
  });
});

describe('filesPending', () => {
  it('is true while a path is missing from the listed files, false before any listing', () => {
    const paths = ['src/shop/defs/load/load.py'];
    expect(filesPending(paths, null)).toBe(false);
    expect(filesPending(paths, new Set(['src/shop/defs/load/defs.yaml']))).toBe(true);
    expect(filesPending(paths, new Set(['src/shop/defs/load/defs.yaml', 'src/shop/defs/load/load.py']))).toBe(
      false,
    );
    expect(filesPending([], new Set())).toBe(false);
  });
});
