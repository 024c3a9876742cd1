import { describe, expect, it } from 'vitest';
import type { Asset, Problem } from '@designer/shared';
import { buildFindIndex, findMatches, type FindableNode } from './find-index';

const node = (
  id: string,
  label: string,
  x: number,
  y: number,
  extra: Partial<FindableNode['data']> = {},
): FindableNode => ({
  id,
  position: { x, y },
  data: { label, component_type: 'dagster.PythonScriptComponent', attributes: {}, ...extra },
});

const nodes: FindableNode[] = [
  node('c', 'shop_dbt', 400, 0, {
    component_type: 'dagster_dbt.DbtProjectComponent',
    translation: { group_name: 'marts' },
  }),
  node('a', 'raw_orders', 0, 0, {
    attributes: { assets: [{ key: 'raw/orders', kinds: ['python'], tags: { tier: 'bronze' } }] },
  }),
  node('b', 'report', 0, 200, { component_type: 'dagster.TemplatedSqlComponent' }),
];
const assets: Asset[] = [
  {
    key: 'marts/customers',
    deps: [],
    nodeId: 'c',
    kinds: ['dbt', 'duckdb'],
    group_name: 'marts',
    tags: { pii: '' },
  },
  { key: 'analytics/daily_report', deps: [], nodeId: 'b', group_name: 'reporting' },
];
const problems: Problem[] = [{ severity: 'error', message: 'Missing file report.sql', nodeId: 'b' }];
const index = buildFindIndex(nodes, assets, problems);
const ids = (q: string) => findMatches(index, q).map((m) => m.id);

describe('findMatches', () => {
  const cases: [string, string, string[]][] = [
    ['empty query matches nothing', '  ', []],
    ['label, in reading order (top to bottom, then left to right)', 'r', ['a', 'c', 'b']],
    ['component type', 'DbtProject', ['c']],
    ['asset key from the preview', 'marts/cust', ['c']],
    ['asset key declared in the attributes', 'raw/orders', ['a']],
    ['group from the preview', 'reporting', ['b']],
    ['group from the translation', 'group:marts', ['c']],
    ['kind', 'kind:duckdb', ['c']],
    ['declared kind', 'kind:python', ['a']],
    ['tag with value', 'tag:tier=bronze', ['a']],
    ['tag without value', 'tag:pii', ['c']],
    ['problem text', 'missing file', ['b']],
    ['every word must match', 'report sql', ['b']],
    ['field limits where a word looks', 'key:sql', []],
    ['an unknown field prefix is plain text', 'foo:bar', []],
    ['case-insensitive', 'RAW_ORDERS', ['a']],
  ];
  for (const [name, query, expected] of cases) it(name, () => expect(ids(query)).toEqual(expected));

  it('says which field matched', () => {
    expect(findMatches(index, 'customers')).toEqual([{ id: 'c', field: 'key', value: 'marts/customers' }]);
  });

  it('finds one node among 5,000 by asset key (timing is measured by bench/canvas.ts in Chromium)', () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      node(`n${i}`, `asset_${i}`, (i % 40) * 260, Math.floor(i / 40) * 140, {
        attributes: { assets: [{ key: `raw/asset_${i}` }] },
      }),
    );
    const big = buildFindIndex(many, [], []);
    expect(findMatches(big, 'raw/asset_4999').map((m) => m.id)).toEqual(['n4999']);
    expect(findMatches(big, 'key:raw/asset_499').map((m) => m.id)).toEqual([
      'n499',
      ...Array.from({ length: 10 }, (_, i) => `n${4990 + i}`),
    ]);
  });
});
