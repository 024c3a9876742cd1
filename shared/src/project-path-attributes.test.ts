import { describe, expect, it } from 'vitest';
import {
  pathAttributesOf,
  pathChoices,
  pathValueFor,
  pathValues,
  resolvePathValue,
  setAttributeAt,
} from './project-path-attributes.js';

const FILES = [
  'dbt_shop/dbt_project.yml',
  'dbt_shop/models/orders.sql',
  'analytics/wh/dbt_project.yml',
  'src/shop/defs/ingest/defs.yaml',
  'src/shop/defs/ingest/load.py',
  'src/shop/defs/ingest/replication.yaml',
  'scripts/export.py',
  'sling/replication.YML',
  'sql/report.sql',
];
const DEFS = 'src/shop/defs/ingest';
const [dbt] = pathAttributesOf('dagster_dbt.DbtProjectComponent');
const [script] = pathAttributesOf('dagster.PythonScriptComponent');
const [sling] = pathAttributesOf('dagster_sling.SlingReplicationCollectionComponent');
const [sql] = pathAttributesOf('dagster.TemplatedSqlComponent');
const [module] = pathAttributesOf('dagster.DefinitionsComponent');

describe('pathValues', () => {
  it.each([
    ['dagster_dbt.DbtProjectComponent', { project: 'x' }, [['project', 'x']]],
    ['dagster_dbt.DbtProjectComponent', { project: { project_dir: 'y' } }, [['project.project_dir', 'y']]],
    ['dagster_dbt.DbtProjectComponent', {}, [['project', null]]],
    ['dagster.PythonScriptComponent', { execution: { path: 'a.py' } }, [['execution.path', 'a.py']]],
    ['dagster.TemplatedSqlComponent', { sql_template: 'select 1' }, [['sql_template.path', null]]],
    [
      'dagster_sling.SlingReplicationCollectionComponent',
      { replications: [{ path: 'a.yaml' }, { path: 'b.yaml' }] },
      [
        ['replications.0.path', 'a.yaml'],
        ['replications.1.path', 'b.yaml'],
      ],
    ],
    ['dagster_sling.SlingReplicationCollectionComponent', { replications: [] }, []],
    ['dagster_dlt.DltLoadCollectionComponent', { loads: [{ source: '.loads.x' }] }, []],
  ])('%s %j', (type, attributes, expected) => {
    expect(pathValues(type, attributes).map((v) => [v.field, v.value])).toEqual(expected);
  });
});

describe('resolvePathValue', () => {
  it.each([
    ['{{ context.project_root }}/dbt_shop', dbt, 'dbt_shop'],
    ['{{context.project_root}}/a/../dbt_shop/', dbt, 'dbt_shop'],
    ['../../../../dbt_shop', dbt, 'dbt_shop'],
    ['load.py', script, `${DEFS}/load.py`],
    ['./sub/q.sql', sql, `${DEFS}/sub/q.sql`],
    ['src/shop/defs/ingest/load.py', module, 'src/shop/defs/ingest/load.py'],
    ['../../../../../escape', dbt, null],
    ['/abs/path', script, null],
    ['{{ env.X }}/a.yaml', sling, null],
  ])('%s (%s)', (value, attribute, expected) => {
    expect(resolvePathValue(value, attribute!, DEFS)).toBe(expected);
  });
});

describe('pathChoices', () => {
  it.each([
    [dbt, ['dbt_shop', 'analytics/wh']],
    [script, ['scripts/export.py', 'src/shop/defs/ingest/load.py']],
    [sling, ['sling/replication.YML', 'src/shop/defs/ingest/replication.yaml']],
    [sql, ['sql/report.sql']],
  ])('%#: the matching files or folders, nearest first', (attribute, expected) => {
    expect(pathChoices(attribute!, FILES)).toEqual(expected);
  });
});

describe('pathChoices leaves out Python files that are no script', () => {
  const files = [
    'src/shop/__init__.py',
    'src/shop/definitions.py',
    'src/shop/defs/__init__.py',
    'src/shop/defs/ingest/load.py',
    'tests/__init__.py',
    'tests/test_assets.py',
    'tests/conftest.py',
    'src/shop/defs/ingest/load_test.py',
    'scripts/test_data_builder.sql',
    'scripts/export.py',
    'scripts/latest.py',
  ];
  it.each([script, module])(
    '%#: package __init__ files, definitions.py and tests are no choice',
    (attribute) => {
      expect(pathChoices(attribute!, files)).toEqual([
        'scripts/export.py',
        'scripts/latest.py',
        'src/shop/defs/ingest/load.py',
      ]);
    },
  );
});

describe('pathValueFor', () => {
  it.each([
    ['src/shop/defs/ingest/load.py', script, 'load.py'],
    ['scripts/export.py', script, '{{ context.project_root }}/scripts/export.py'],
    ['dbt_shop', dbt, '{{ context.project_root }}/dbt_shop'],
    ['src/shop/defs/ingest/replication.yaml', sling, 'replication.yaml'],
    ['src/shop/defs/x.py', module, 'src/shop/defs/x.py'],
  ])('%s → what is written', (choice, attribute, expected) => {
    expect(pathValueFor(choice, attribute!, DEFS)).toBe(expected);
    // What is written resolves back to the choice, as Dagster reads it.
    expect(resolvePathValue(expected, attribute!, DEFS)).toBe(choice);
  });
});

describe('setAttributeAt', () => {
  it('sets a nested field, copying what it passes through', () => {
    const before = { replications: [{ path: 'a.yaml', op: { name: 'x' } }], other: { k: 1 } };
    const after = setAttributeAt(before, 'replications.0.path', 'b.yaml');
    expect(after).toEqual({ replications: [{ path: 'b.yaml', op: { name: 'x' } }], other: { k: 1 } });
    expect(before.replications[0]!.path).toBe('a.yaml');
    expect(after.other).toBe(before.other);
    expect(setAttributeAt({}, 'execution.path', 'x.py')).toEqual({ execution: { path: 'x.py' } });
    expect(setAttributeAt({ project: 'old' }, 'project', 'new')).toEqual({ project: 'new' });
    expect(setAttributeAt({}, 'replications.0.path', 'r.yaml')).toEqual({
      replications: [{ path: 'r.yaml' }],
    });
  });
});
