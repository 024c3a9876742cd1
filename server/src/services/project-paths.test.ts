import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GraphNode, ProjectFile } from '@designer/shared';
import { findDbtProjects, projectPathProblems } from './project-paths.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'project-paths-'));
for (const dir of [
  'dbt_shop',
  'analytics/warehouse',
  '.venv/lib/x',
  'src/shop/defs/transform',
  'scripts',
  'shared',
])
  mkdirSync(path.join(root, dir), { recursive: true });
writeFileSync(path.join(root, 'src', 'shop', 'defs', 'transform', 'replication.yaml'), 'streams: {}\n');
writeFileSync(path.join(root, 'shared', 'raw.yaml'), 'streams: {}\n');
writeFileSync(path.join(root, 'scripts', 'load.py'), 'print(1)\n');
writeFileSync(path.join(root, 'dbt_shop', 'dbt_project.yml'), 'name: shop\n');
writeFileSync(path.join(root, 'analytics', 'warehouse', 'dbt_project.yml'), 'name: wh\n');
writeFileSync(path.join(root, '.venv', 'lib', 'x', 'dbt_project.yml'), 'name: hidden\n');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const dbt = (project: unknown): GraphNode => ({
  id: 'n',
  type: 'component',
  position: { x: 0, y: 0 },
  data: { label: 'transform', component_type: 'dagster_dbt.DbtProjectComponent', attributes: { project } },
});
const projectWith = (node: GraphNode) =>
  ({ package_name: 'shop', graph: { nodes: [node], edges: [] } }) as unknown as ProjectFile;

describe('findDbtProjects', () => {
  it('lists folders with a dbt_project.yml, never inside environments', async () => {
    expect(await findDbtProjects(root)).toEqual(['dbt_shop', 'analytics/warehouse']);
  });
});

describe('projectPathProblems', () => {
  it.each([
    ['{{ context.project_root }}/dbt_shop', null],
    ['../../../../dbt_shop', null],
    [{ project_dir: '{{ context.project_root }}/analytics/warehouse' }, null],
    ['dbt_shop', 'resolves to src/shop/defs/transform/dbt_shop, which has no dbt_project.yml'],
    ['{{ context.project_root }}/dbt', 'resolves to dbt, which has no dbt_project.yml'],
  ])('dbt project %j', async (value, expected) => {
    const problems = await projectPathProblems(projectWith(dbt(value)), root);
    if (expected === null) expect(problems).toEqual([]);
    else {
      expect(problems).toHaveLength(1);
      expect(problems[0]!.message).toContain(expected);
      expect(problems[0]!.hint).toContain('"{{ context.project_root }}/dbt_shop"');
      expect(problems[0]!.field).toBe('project');
    }
  });
  it('checks any attribute rooted at the project', async () => {
    const node: GraphNode = {
      ...dbt(null),
      data: {
        label: 'sling',
        component_type: 'dagster_sling.SlingReplicationCollectionComponent',
        attributes: { replications: [{ path: '{{ context.project_root }}/replication.yaml' }] },
      },
    };
    const [problem] = await projectPathProblems(projectWith(node), root);
    // Sling reads its replication file while the definitions load: a missing one fails the load.
    expect(problem).toMatchObject({ field: 'replications.0.path', severity: 'error' });
    expect(problem!.message).toContain('resolves to replication.yaml, which does not exist');
    expect(problem!.hint).toContain('shared/raw.yaml'); // the replication files of the workspace
  });

  const component = (type: string, attributes: Record<string, unknown>): GraphNode => ({
    id: 'n',
    type: 'component',
    position: { x: 0, y: 0 },
    data: { label: 'transform', component_type: type, attributes },
  });
  it.each([
    [
      'a Sling replication relative to the defs.yaml',
      component('dagster_sling.SlingReplicationCollectionComponent', {
        replications: [{ path: 'replication.yaml' }, { path: 'syncs/missing.yml' }],
      }),
      {
        field: 'replications.1.path',
        severity: 'error',
        message: 'resolves to src/shop/defs/transform/syncs/missing.yml, which does not exist',
        hint: [
          'folder of its defs.yaml (src/shop/defs/transform/)',
          'Write "replication.yaml"',
          'shared/raw.yaml',
        ],
      },
    ],
    [
      'a script outside the node folder',
      component('dagster.PythonScriptComponent', {
        execution: { path: '{{ context.project_root }}/scripts/gone.py' },
      }),
      {
        field: 'execution.path',
        severity: 'warning',
        message: 'resolves to scripts/gone.py, which does not exist',
        hint: ['project_root }} is the project folder', 'Write "{{ context.project_root }}/scripts/load.py"'],
      },
    ],
    [
      'a SQL template climbing out of the node folder',
      component('dagster.TemplatedSqlComponent', { sql_template: { path: '../sql/report.sql' } }),
      {
        field: 'sql_template.path',
        severity: 'warning',
        message: 'resolves to src/shop/defs/sql/report.sql, which does not exist',
        hint: ['No SQL template (.sql) is in the project yet'],
      },
    ],
    [
      'a dbt project given as an object',
      component('dagster_dbt.DbtProjectComponent', { project: { project_dir: 'dbt_shop' } }),
      {
        field: 'project.project_dir',
        severity: 'error',
        message: 'resolves to src/shop/defs/transform/dbt_shop, which has no dbt_project.yml',
        hint: ['Write "{{ context.project_root }}/dbt_shop"', 'analytics/warehouse'],
      },
    ],
  ])('%s', async (_, node, expected) => {
    const problems = await projectPathProblems(projectWith(node), root);
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem).toMatchObject({ field: expected.field, nodeId: 'n' });
    expect(problem!.severity).toBe(expected.severity);
    expect(problem!.message).toContain(expected.message);
    for (const part of expected.hint) expect(problem!.hint).toContain(part);
  });

  it('leaves a script in the node folder to the preview, which checks it itself', async () => {
    const node = component('dagster.PythonScriptComponent', { execution: { path: 'missing.py' } });
    expect(await projectPathProblems(projectWith(node), root)).toEqual([]);
  });
});
