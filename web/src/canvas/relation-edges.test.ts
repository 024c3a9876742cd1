import { describe, expect, it } from 'vitest';
import { RELATION_EDGE_PREFIX, checkRelationEdges } from './relation-edges';

// As fixtures/shop_project previews: Python assets in defs/assets/, their checks in defs/checks/, dbt models with
// dbt tests (checks of the dbt node on its own models).
const nodes = new Set(['n_assets', 'n_checks', 'n_dbt']);
const assets = [
  { key: 'raw/orders', nodeId: 'n_assets' },
  { key: 'raw/customers', nodeId: 'n_assets' },
  { key: 'orders', nodeId: 'n_dbt' },
  { key: 'outside', nodeId: 'n_gone' },
];

describe('checkRelationEdges', () => {
  it.each([
    ['no checks', [], []],
    [
      'a check in one node on an asset of another: one read-only edge from the checks to the asset',
      [{ name: 'order_checks', asset: 'raw/orders', nodeId: 'n_checks' }],
      [['n_checks', 'n_assets', 'checks']],
    ],
    [
      'several checks on one node: one edge saying how many',
      [
        { name: 'order_checks', asset: 'raw/orders', nodeId: 'n_checks' },
        { name: 'customer_checks', asset: 'raw/customers', nodeId: 'n_checks' },
        { name: 'orders_link', asset: 'orders', nodeId: 'n_checks' },
      ],
      [
        ['n_checks', 'n_assets', '2 checks'],
        ['n_checks', 'n_dbt', 'checks'],
      ],
    ],
    [
      "a node's checks on its own assets (dbt tests), an unknown asset, a node no longer on the canvas: none",
      [
        { name: 'unique_orders_id', asset: 'orders', nodeId: 'n_dbt' },
        { name: 'nowhere', asset: 'not/defined', nodeId: 'n_checks' },
        { name: 'gone', asset: 'outside', nodeId: 'n_checks' },
        { name: 'unowned', asset: 'raw/orders' },
      ],
      [],
    ],
  ])('%s', (_, checks, expected) => {
    const edges = checkRelationEdges(nodes, assets, checks);
    expect(edges.map((e) => [e.source, e.target, e.label])).toEqual(expected);
  });

  it('draws them apart from dependencies and never as part of the graph: not selectable, deletable or reconnectable', () => {
    const [edge] = checkRelationEdges(nodes, assets, [
      { name: 'order_checks', asset: 'raw/orders', nodeId: 'n_checks' },
    ]);
    expect(edge).toMatchObject({
      selectable: false,
      deletable: false,
      focusable: false,
      reconnectable: false,
      className: 'relation-edge',
      data: { relation: 'checks', checks: ['order_checks'] },
      markerEnd: { type: 'arrow' },
    });
    expect(edge!.id.startsWith(RELATION_EDGE_PREFIX)).toBe(true);
    expect(edge!.style).toMatchObject({ strokeDasharray: '5 4' });
  });
});
