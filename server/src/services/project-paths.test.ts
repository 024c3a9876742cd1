import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GraphNode, ProjectFile } from '@designer/shared';
import { findDbtProjects, projectPathProblems } from './project-paths.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'project-paths-'));
for (const dir of ['dbt_shop', 'analytics/warehouse', '.venv/lib/x', 'src/shop/defs/transform'])
  mkdirSync(path.join(root, dir), { recursive: true });
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
    expect(problem).toMatchObject({ field: 'replications.0.path', severity: 'warning' });
    expect(problem!.message).toContain('resolves to replication.yaml, which does not exist');
  });
});
