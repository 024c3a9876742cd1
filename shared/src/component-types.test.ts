import { describe, expect, it } from 'vitest';
import { defaultAttributes, describeType, libraryOf } from './component-types.js';

describe('describeType', () => {
  it.each([
    ['dagster_dbt.DbtProjectComponent', 'Dbt Project', 'dbt', 'dagster_dbt'],
    ['dagster.PythonScriptComponent', 'Python Script', 'dagster', 'dagster'],
    ['dagster.TemplatedSqlComponent', 'Templated Sql', 'dagster', 'dagster'],
    [
      'dagster_sling.SlingReplicationCollectionComponent',
      'Sling Replication Collection',
      'sling',
      'dagster_sling',
    ],
    ['my_proj.components.SQLRunner', 'SQL Runner', 'project', 'my_proj.components'],
  ])('%s', (type, name, category, module) => {
    expect(describeType(type)).toEqual({ name, category, module });
  });
  it('names the library to install', () => {
    expect(libraryOf('dagster_dbt.DbtProjectComponent')).toBe('dagster-dbt');
  });
});

describe('defaultAttributes', () => {
  it.each([
    ['dagster.PythonScriptComponent', { assets: [{ key: 'orders' }], execution: { path: 'orders.py' } }],
    ['dagster.TemplatedSqlComponent', { assets: [{ key: 'orders' }], sql_template: { path: 'orders.sql' } }],
    ['dagster_dbt.DbtProjectComponent', {}],
  ])('%s', (type, expected) => expect(defaultAttributes(type, 'orders')).toEqual(expected));
});
