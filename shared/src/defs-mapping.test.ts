import { describe, expect, it } from 'vitest';
import {
  buildManagedDefs,
  declaredAssetKeys,
  envNames,
  followRename,
  followRenamedKeys,
  followRenamedReference,
  nodeFiles,
  normaliseKey,
  referencedEnv,
} from './defs-mapping.js';
import type { GraphNode } from './project-file/schema.js';

const node = (data: Partial<GraphNode['data']>): GraphNode => ({
  id: 'n1',
  type: 'component',
  position: { x: 0, y: 0 },
  data: { label: 'x', component_type: 'dagster.PythonScriptComponent', attributes: {}, ...data },
});

describe('normaliseKey / declaredAssetKeys', () => {
  it.each([
    ['a/b', 'a/b'],
    [['a', 'b'], 'a/b'],
    [{ path: ['a'] }, 'a'],
    ['{{ templated }}', null],
    [3, null],
  ])('%j → %j', (input, expected) => expect(normaliseKey(input)).toBe(expected));

  it('reads declared keys, with the key prefix', () => {
    expect(
      declaredAssetKeys(
        node({
          attributes: { assets: [{ key: 'orders' }, { key: 'raw/items' }] },
          translation: { key_prefix: 'shop' },
        }),
      ),
    ).toEqual(['shop/orders', 'shop/raw/items']);
    expect(
      declaredAssetKeys(
        node({ component_type: 'dagster_dbt.DbtProjectComponent', attributes: { project: 'p' } }),
      ),
    ).toBeNull();
  });
});

describe('buildManagedDefs', () => {
  it('adds upstream keys to declared assets without internal upstream only', () => {
    const n = node({
      attributes: {
        assets: [{ key: 'a' }, { key: 'b', deps: ['a'] }, { key: 'c', deps: ['ext/x'] }],
        execution: { path: 'run.py' },
      },
    });
    const { defs } = buildManagedDefs(n, ['up/one', 'ext/x'], { hasTranslationAttribute: false });
    expect(defs.attributes.assets).toEqual([
      { key: 'a', deps: ['up/one', 'ext/x'] },
      { key: 'b', deps: ['a'] },
      { key: 'c', deps: ['ext/x', 'up/one'] },
    ]);
    expect(defs.post_processing).toBeUndefined();
    expect(n.data.attributes.assets).toEqual([
      { key: 'a' },
      { key: 'b', deps: ['a'] },
      { key: 'c', deps: ['ext/x'] },
    ]);
  });

  it('uses a roots(*) post-processing rule for components that do not declare assets', () => {
    const n = node({
      component_type: 'dagster_dbt.DbtProjectComponent',
      attributes: { project: 'dbt' },
      translation: { group_name: 'analytics', key_prefix: 'wh' },
      post_processing: { assets: [{ target: 'tag:x', attributes: { tags: { a: 'b' } } }] },
    });
    const { defs, problems } = buildManagedDefs(n, ['raw/orders'], { hasTranslationAttribute: true });
    expect(problems).toEqual([]);
    expect(defs).toEqual({
      type: 'dagster_dbt.DbtProjectComponent',
      attributes: { project: 'dbt', translation: { key_prefix: 'wh' } },
      post_processing: {
        assets: [
          { target: '*', operation: 'merge', attributes: { group_name: 'analytics' } },
          { target: 'roots(*)', operation: 'merge', attributes: { deps: ['raw/orders'] } },
          { target: 'tag:x', attributes: { tags: { a: 'b' } } },
        ],
      },
    });
  });

  it('applies translation to declared assets without overriding asset-level values', () => {
    const n = node({
      attributes: { assets: [{ key: 'a', group_name: 'own' }, { key: 'b' }] },
      translation: { group_name: 'g', key_prefix: 'p', owners: ['team:data'] },
    });
    const { defs } = buildManagedDefs(n, [], { hasTranslationAttribute: false });
    expect(defs.attributes.assets).toEqual([
      { key: 'p/a', group_name: 'own', owners: ['team:data'] },
      { key: 'p/b', group_name: 'g', owners: ['team:data'] },
    ]);
  });

  it('lists env references under requirements.env', () => {
    const n = node({
      component_type: 'dagster_sling.SlingReplicationCollectionComponent',
      attributes: { connections: { pg: { password: '{{ env.PG_PASSWORD }}', host: '{{env.PG_HOST}}' } } },
    });
    expect(buildManagedDefs(n, [], { hasTranslationAttribute: true }).defs.requirements).toEqual({
      env: ['PG_HOST', 'PG_PASSWORD'],
    });
  });

  it('warns when a key prefix cannot be applied', () => {
    const n = node({
      component_type: 'dagster.DefinitionsComponent',
      attributes: { path: 'x.py' },
      translation: { key_prefix: 'p' },
    });
    expect(buildManagedDefs(n, [], { hasTranslationAttribute: false }).problems[0]?.message).toContain(
      'key prefix',
    );
  });
});

describe('envNames', () => {
  it('finds every env reference, however deep', () => {
    expect(
      [...envNames({ a: '{{ env.A }}', b: ['x {{env.B_2}} y', { c: '{{ env.A }}' }], d: 3 })].sort(),
    ).toEqual(['A', 'B_2']);
  });
});

describe('nodeFiles', () => {
  it("finds a script's execution.path and a SQL template file, and ignores paths that climb out", () => {
    expect(
      nodeFiles(
        node({
          component_type: 'dagster.PythonScriptComponent',
          attributes: { execution: { path: 'run.py' } },
        }),
      ),
    ).toEqual([{ field: 'execution.path', path: 'run.py', language: 'python' }]);
    expect(
      nodeFiles(
        node({
          component_type: 'dagster.TemplatedSqlComponent',
          attributes: { sql_template: { path: 'q.sql' } },
        }),
      ),
    ).toEqual([{ field: 'sql_template.path', path: 'q.sql', language: 'sql' }]);
    expect(
      nodeFiles(
        node({ component_type: 'dagster.TemplatedSqlComponent', attributes: { sql_template: 'select 1' } }),
      ),
    ).toEqual([]);
    expect(
      nodeFiles(node({ component_type: 'x', attributes: { execution: { path: '../../etc/passwd' } } })),
    ).toEqual([]);
    expect(nodeFiles(node({ component_type: 'x', attributes: { execution: { path: '/abs.py' } } }))).toEqual(
      [],
    );
  });
});

describe('referencedEnv', () => {
  it('merges declared variables with the ones attributes reference, undeclared ones being required', () => {
    const a = { ...node({ attributes: { token: '{{ env.TOKEN }}', path: '{{ env.DB }}' } }), id: 'a' };
    expect(
      referencedEnv({
        env: [{ name: 'DB', description: 'db file', required: false }],
        graph: { nodes: [a] },
      }),
    ).toEqual([
      { name: 'DB', description: 'db file', required: false, usedBy: ['a'] },
      { name: 'TOKEN', required: true, usedBy: ['a'] },
    ]);
  });
});

describe('followRename', () => {
  it.each([
    [
      'a fresh script node: key and script follow',
      { assets: [{ key: 'python_script' }], execution: { path: 'python_script.py' } },
      { assets: [{ key: 'load_orders' }], execution: { path: 'load_orders.py' } },
    ],
    [
      'a fresh SQL node: key and SQL file follow',
      { assets: [{ key: 'python_script' }], sql_template: { path: 'python_script.sql' } },
      { assets: [{ key: 'load_orders' }], sql_template: { path: 'load_orders.sql' } },
    ],
    [
      "the user's own key and file stay",
      { assets: [{ key: 'sales/orders' }], execution: { path: 'main.py' } },
      { assets: [{ key: 'sales/orders' }], execution: { path: 'main.py' } },
    ],
    [
      'only what was derived follows (own key, default file)',
      {
        assets: [{ key: 'sales/orders' }, { key: 'python_script' }],
        execution: { path: 'python_script.py' },
      },
      { assets: [{ key: 'sales/orders' }, { key: 'load_orders' }], execution: { path: 'load_orders.py' } },
    ],
    ['no assets, no files', { project: 'dbt' }, { project: 'dbt' }],
  ])('%s', (_name, before, after) => {
    expect(followRename(before, 'python_script', 'load_orders')).toEqual(after);
  });

  it('answers the same object when nothing followed', () => {
    const attributes = { execution: { path: 'main.py' } };
    expect(followRename(attributes, 'a', 'b')).toBe(attributes);
  });

  it('makes other nodes that load the renamed one follow it', () => {
    expect(
      followRenamedReference(
        { connection: "{{ context.load_component('duckdb_connection') }}" },
        'duckdb_connection',
        'warehouse',
      ),
    ).toEqual({ connection: "{{ context.load_component('warehouse') }}" });
    const other = { connection: "{{ context.load_component('duckdb_connection_2') }}" };
    expect(followRenamedReference(other, 'duckdb_connection', 'warehouse')).toBe(other);
  });
});

describe('followRenamedKeys', () => {
  const renamed = new Map([['upstream_a', 'source_a']]);
  const script = (deps: unknown[]) => ({ assets: [{ key: 'b', deps }], execution: { path: 'b.py' } });
  it.each([
    ['a dep on the old key', script(['upstream_a', 'raw/manual']), script(['source_a', 'raw/manual'])],
    ['the old key as path parts', script([['upstream_a'], 'raw/manual']), script(['source_a', 'raw/manual'])],
    ['the new key already there', script(['upstream_a', 'source_a']), script(['source_a'])],
  ])('%s follows', (_, attributes, expected) => {
    expect(followRenamedKeys(attributes, renamed)).toEqual(expected);
  });
  it.each([
    ['no dep on it', script(['raw/manual'])],
    ['no declared assets (dbt)', { project: 'dbt_shop' }],
  ])('%s: the same object back', (_, attributes) => {
    expect(followRenamedKeys(attributes, renamed)).toBe(attributes);
  });
});
