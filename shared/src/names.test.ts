import { describe, expect, it } from 'vitest';
import {
  isComponentType,
  labelProblem,
  nearestNames,
  packageNameProblem,
  toLabel,
  toPackageName,
  uniqueLabel,
} from './names.js';

describe('toPackageName', () => {
  it.each([
    ['Sales Pipeline', 'sales_pipeline'],
    ['  --weird__name--  ', 'weird_name'],
    ['Café Müller', 'cafe_muller'],
    ['2024 report', 'p_2024_report'],
    ['', 'project'],
    ['!!!', 'project'],
    ['dagster', 'my_dagster'],
    ['class', 'my_class'],
    ['Dagster Cloud', 'my_dagster_cloud'],
  ])('%j → %s', (input, expected) => {
    expect(toPackageName(input)).toBe(expected);
    expect(packageNameProblem(toPackageName(input))).toBeNull();
  });
  it('never exceeds 64 characters', () => {
    expect(toPackageName('x'.repeat(300)).length).toBeLessThanOrEqual(64);
  });
});

describe('labelProblem', () => {
  it.each([
    ['orders', null],
    ['orders_2', null],
    ['Orders', 'lowercase'],
    ['2orders', 'lowercase'],
    ['-rf', 'lowercase'],
    ['../etc', 'lowercase'],
    ['a b', 'lowercase'],
    ['import', 'keyword'],
    ['a'.repeat(65), 'at most'],
  ])('%s', (label, expected) => {
    const problem = labelProblem(label);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toContain(expected);
  });
});

describe('uniqueLabel / toLabel', () => {
  it('appends the first free number', () => {
    expect(uniqueLabel('orders', new Set(['orders', 'orders_2']))).toBe('orders_3');
    expect(uniqueLabel('orders_2', new Set(['orders_2']))).toBe('orders_3');
    expect(uniqueLabel('fresh', new Set(['orders']))).toBe('fresh');
  });
  it('makes labels from free text', () => {
    expect(toLabel('Python Script')).toBe('python_script');
    expect(labelProblem(toLabel('for'))).toBeNull();
  });
});

describe('isComponentType / nearestNames', () => {
  it.each([
    ['dagster.PythonScriptComponent', true],
    ['dagster_dbt.DbtProjectComponent', true],
    ['PythonScriptComponent', false],
    ['--upload-pack=x', false],
    ['dagster..X', false],
    ['dagster.X;rm', false],
  ])('%s → %s', (value, expected) => expect(isComponentType(value)).toBe(expected));
  it('suggests near names', () => {
    const names = [
      'dagster.PythonScriptComponent',
      'dagster_dbt.DbtProjectComponent',
      'dagster.TemplatedSqlComponent',
    ];
    expect(nearestNames('dagster.PythonScriptComponnet', names, 1)).toEqual([
      'dagster.PythonScriptComponent',
    ]);
    expect(nearestNames('dbt.DbtProjectComponent', names, 1)).toEqual(['dagster_dbt.DbtProjectComponent']);
  });
});
