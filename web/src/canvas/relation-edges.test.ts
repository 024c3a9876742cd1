import { describe, expect, it } from 'vitest';
import { RELATION_EDGE_PREFIX, relationEdges, sameIdsMemo, type RelationSources } from './relation-edges';

// As fixtures/shop_project previews: Python assets in defs/assets/, their checks in defs/checks/, dbt models with
// dbt tests (checks of the dbt node on its own models), a job and schedules in defs/schedules/, a sensor.
const nodes = new Set(['n_assets', 'n_checks', 'n_dbt', 'n_schedules', 'n_sensors']);
const assets = [
  { key: 'raw/orders', nodeId: 'n_assets' },
  { key: 'raw/customers', nodeId: 'n_assets' },
  { key: 'orders', nodeId: 'n_dbt' },
  { key: 'outside', nodeId: 'n_gone' },
];
const shown = (defs: Omit<RelationSources, 'assets'>, linked?: Set<string>) =>
  relationEdges(nodes, { assets, ...defs }, linked).map((e) => [e.source, e.target, e.label]);

describe('relationEdges', () => {
  it.each([
    ['no checks', {}, []],
    [
      'a check in one node on an asset of another: one edge from the checks to the asset',
      { checks: [{ name: 'order_checks', asset: 'raw/orders', nodeId: 'n_checks' }] },
      [['n_checks', 'n_assets', 'checks']],
    ],
    [
      'several checks on one node: one edge saying how many',
      {
        checks: [
          { name: 'order_checks', asset: 'raw/orders', nodeId: 'n_checks' },
          { name: 'customer_checks', asset: 'raw/customers', nodeId: 'n_checks' },
          { name: 'orders_link', asset: 'orders', nodeId: 'n_checks' },
        ],
      },
      [
        ['n_checks', 'n_assets', '2 checks'],
        ['n_checks', 'n_dbt', 'checks'],
      ],
    ],
    [
      "a node's checks on its own assets (dbt tests), an unknown asset, a node no longer on the canvas: none",
      {
        checks: [
          { name: 'unique_orders_id', asset: 'orders', nodeId: 'n_dbt' },
          { name: 'nowhere', asset: 'not/defined', nodeId: 'n_checks' },
          { name: 'gone', asset: 'outside', nodeId: 'n_checks' },
          { name: 'unowned', asset: 'raw/orders' },
        ],
      },
      [],
    ],
    [
      'a job and schedules to the nodes of the assets they materialize; an op job and a sensor without assets: none',
      {
        jobs: [
          { name: 'refresh_raw', asset_keys: ['raw/customers', 'raw/orders'], nodeId: 'n_schedules' },
          { name: 'op_job', nodeId: 'n_schedules' },
        ],
        schedules: [
          {
            name: 'refresh_raw_schedule',
            asset_keys: ['raw/customers', 'raw/orders'],
            nodeId: 'n_schedules',
          },
          { name: 'daily', asset_keys: ['orders', 'raw/customers', 'raw/orders'], nodeId: 'n_schedules' },
        ],
        sensors: [
          { name: 'new_orders', asset_keys: ['raw/orders'], nodeId: 'n_sensors' },
          { name: 'idle', nodeId: 'n_sensors' },
        ],
      },
      [
        ['n_schedules', 'n_assets', '1 job · 2 schedules'],
        ['n_schedules', 'n_dbt', '1 schedule'],
        ['n_sensors', 'n_assets', '1 sensor'],
      ],
    ],
  ])('%s', (_, defs, expected) => {
    expect(shown(defs)).toEqual(expected);
  });

  it("leaves out a target the graph already links (a designer schedule node's own edge), never a check", () => {
    const defs = {
      checks: [{ name: 'order_checks', asset: 'raw/orders', nodeId: 'n_schedules' }],
      schedules: [{ name: 'nightly', asset_keys: ['raw/orders', 'orders'], nodeId: 'n_schedules' }],
    };
    expect(shown(defs, new Set(['n_schedules\u0000n_assets']))).toEqual([
      ['n_schedules', 'n_assets', 'checks'],
      ['n_schedules', 'n_dbt', '1 schedule'],
    ]);
  });

  it('draws them apart from dependencies and never as part of the graph: not selectable, deletable or reconnectable', () => {
    const [edge] = relationEdges(nodes, {
      assets,
      checks: [{ name: 'order_checks', asset: 'raw/orders', nodeId: 'n_checks' }],
    });
    expect(edge).toMatchObject({
      selectable: false,
      deletable: false,
      focusable: false,
      reconnectable: false,
      className: 'relation-edge relation-checks',
      data: { relation: 'checks', names: ['order_checks'] },
      markerEnd: { type: 'arrow' },
    });
    expect(edge!.id.startsWith(RELATION_EDGE_PREFIX)).toBe(true);
    expect(edge!.style).toMatchObject({ strokeDasharray: '5 4' });
  });
});

describe('sameIdsMemo', () => {
  const node = (id: string, x = 0) => ({ id, position: { x, y: 0 } });
  it.each([
    ['the same nodes moved', [node('a', 5), node('b')], true],
    ['a node added', [node('a'), node('b'), node('c')], false],
    ['a node removed', [node('a')], false],
    ['another order', [node('b'), node('a')], false],
    ['another id', [node('a'), node('c')], false],
  ])('%s → the list seen first: %s', (_, next, same) => {
    const memo = sameIdsMemo<ReturnType<typeof node>>();
    const first = [node('a'), node('b')];
    expect(memo(first)).toBe(first);
    expect(memo(next) === first).toBe(same);
  });
});
