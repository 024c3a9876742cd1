import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GraphNode, ProjectFile } from '@designer/shared';
import { REPO_ROOT } from '../config.js';
import { dbtEdgesAsTranslation, dbtEnvVars, dbtProblems, dbtRunDir, withDbtEnvVars } from './dbt-project.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'dbt-project-'));
cpSync(path.join(REPO_ROOT, 'fixtures', 'dbt_shop'), path.join(root, 'dbt_shop'), { recursive: true });
mkdirSync(path.join(root, 'src', 'shop', 'defs'), { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));

const node = (id: string, label: string, type: string, attributes: Record<string, unknown>): GraphNode => ({
  id,
  type: 'component',
  position: { x: 0, y: 0 },
  data: { label, component_type: type, attributes },
});
const dbt = (project: unknown) => node('d', 'shop_dbt', 'dagster_dbt.DbtProjectComponent', { project });
const projectOf = (...nodes: GraphNode[]) =>
  ({ id: 'p', package_name: 'shop', graph: { nodes, edges: [] } }) as unknown as ProjectFile;

describe('dbtProblems', () => {
  it.each([
    ['the project_root form', '{{ context.project_root }}/dbt_shop'],
    ['a project_dir object', { project_dir: '{{ context.project_root }}/dbt_shop' }],
    ['an absolute path', path.join(root, 'dbt_shop')],
  ])('finds the project through %s', (_name, project) => {
    expect(dbtProblems(projectOf(dbt(project)), root, {})).toEqual([]);
  });

  it('warns on each node when dbt and a DuckDB connection use different DuckDB files', () => {
    const connection = node('c', 'warehouse', 'shop.components.DuckDBConnectionComponent', {});
    const problems = dbtProblems(projectOf(dbt('{{ context.project_root }}/dbt_shop'), connection), root, {});
    expect(problems.map((p) => [p.nodeId, p.severity])).toEqual([
      ['d', 'warning'],
      ['c', 'warning'],
    ]);
    // dbt runs in dagster-dbt's copy of the project, so its relative path lands there (not in dbt_shop/).
    expect(problems[0]!.message).toContain(
      'src/shop/defs/.local_defs_state/DbtProjectComponent__dbt_shop__/project/shop.duckdb',
    );
    expect(problems[0]!.message).toContain('warehouse → warehouse.duckdb');
    expect(problems[0]!.hint).toContain("{{ env_var('WAREHOUSE_DUCKDB') }}");
    expect(dbtRunDir(path.join(root, 'dbt_shop'), root, 'shop')).toBe(
      path.join(root, 'src/shop/defs/.local_defs_state/DbtProjectComponent__dbt_shop__/project'),
    );
    // The same file for both (the profile's env var pointing at the connection's file): no warning.
    const same = dbtProblems(projectOf(dbt('{{ context.project_root }}/dbt_shop'), connection), root, {
      DBT_SHOP_DUCKDB: path.join(root, 'warehouse.duckdb'),
    });
    expect(same).toEqual([]);
    // One env var for both, as the hint says: the connection's {{ env.X }} and the profile's env_var('X').
    const viaEnv = node('c', 'warehouse', 'shop.components.DuckDBConnectionComponent', {
      database: '{{ env.WAREHOUSE_DUCKDB }}',
    });
    const warehouse = path.join(root, 'shared.duckdb');
    const one = dbtProblems(projectOf(dbt('{{ context.project_root }}/dbt_shop'), viaEnv), root, {
      WAREHOUSE_DUCKDB: warehouse,
      DBT_SHOP_DUCKDB: warehouse,
    });
    expect(one).toEqual([]);
  });
});

describe('dbtEnvVars', () => {
  it("lists env_var('X') of the profile and dbt_project.yml, required unless given a default", () => {
    writeFileSync(
      path.join(root, 'dbt_shop', 'dbt_project.yml'),
      `${'vars:\n  region: "{{ env_var(\'SHOP_REGION\') }}"\n'}`,
      { flag: 'a' },
    );
    const vars = dbtEnvVars(projectOf(dbt('{{ context.project_root }}/dbt_shop')), root);
    expect(vars).toEqual([
      expect.objectContaining({ name: 'DBT_SHOP_DUCKDB', required: false, usedBy: ['d'] }),
      expect.objectContaining({ name: 'SHOP_REGION', required: true, usedBy: ['d'] }),
    ]);
    const merged = withDbtEnvVars([{ name: 'SHOP_REGION', required: true, usedBy: ['x'] }], vars);
    expect(merged.find((v) => v.name === 'SHOP_REGION')!.usedBy).toEqual(['x', 'd']);
  });
});

describe('dbtEdgesAsTranslation', () => {
  const edge = { target: 'roots(*)', operation: 'merge' as const, attributes: { deps: ['shop/feed', 'x'] } };
  it.each([
    [
      'moves the edge rule of a dbt node into its translation, for specs without deps',
      {
        type: 'dagster_dbt.DbtProjectComponent',
        attributes: { project: 'p' },
        post_processing: { assets: [edge] },
      },
      {
        type: 'dagster_dbt.DbtProjectComponent',
        attributes: {
          project: 'p',
          translation: { deps: '{{ spec.deps if spec.deps else [["shop","feed"],["x"]] }}' },
        },
      },
    ],
    [
      "keeps the node's other rules and translation fields",
      {
        type: 'dagster_dbt.DbtProjectComponent',
        attributes: { translation: { key_prefix: 'shop' } },
        post_processing: { assets: [{ target: '*', attributes: { group_name: 'g' } }, edge] },
      },
      {
        type: 'dagster_dbt.DbtProjectComponent',
        attributes: {
          translation: {
            key_prefix: 'shop',
            deps: '{{ spec.deps if spec.deps else [["shop","feed"],["x"]] }}',
          },
        },
        post_processing: { assets: [{ target: '*', attributes: { group_name: 'g' } }] },
      },
    ],
  ])('%s', (_name, given, expected) => {
    expect(dbtEdgesAsTranslation(given)).toEqual(expected);
  });

  it.each([
    [
      'another component type',
      {
        type: 'dagster_sling.SlingReplicationCollectionComponent',
        attributes: {},
        post_processing: { assets: [edge] },
      },
    ],
    [
      "a translation of the user's that sets deps",
      {
        type: 'dagster_dbt.DbtProjectComponent',
        attributes: { translation: { deps: ['a'] } },
        post_processing: { assets: [edge] },
      },
    ],
    ['no edge', { type: 'dagster_dbt.DbtProjectComponent', attributes: {} }],
  ])('leaves %s as it is', (_name, given) => {
    expect(dbtEdgesAsTranslation(given)).toBe(given);
  });
});
