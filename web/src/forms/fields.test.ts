import { followRename } from '@designer/shared';
import { describe, expect, it } from 'vitest';
import type { DesignerState } from '../store';
import type { DesignerEdge, DesignerNode } from '../store/graph-ops';
import { edgeDepsOf } from './fields';

const node = (id: string, label: string, data: Partial<DesignerNode['data']> = {}): DesignerNode => ({
  id,
  type: 'component',
  position: { x: 0, y: 0 },
  data: {
    label,
    component_type: 'dagster.PythonScriptComponent',
    attributes: { assets: [{ key: label }], execution: { path: `${label}.py` } },
    ...data,
  },
});
const edge: DesignerEdge = { id: 'e', source: 'a', target: 'b' };
type Shown = Pick<DesignerState, 'nodes' | 'edges' | 'preview'>;
const state = (
  nodes: DesignerNode[],
  edges: DesignerEdge[],
  previewed: Record<string, string[]> = {},
): Shown => ({
  nodes,
  edges,
  preview: {
    status: 'done',
    problems: [],
    assets: Object.entries(previewed).flatMap(([nodeId, keys]) =>
      keys.map((key) => ({ key, deps: [], nodeId }) as unknown as Shown['preview']['assets'][number]),
    ),
  },
});

describe('edgeDepsOf (the read-only "Deps from edges" of a node)', () => {
  const a = node('a', 'upstream_a');
  const b = node('b', 'downstream_b');
  const renamed = {
    ...a,
    data: {
      ...a.data,
      label: 'source_a',
      attributes: followRename(a.data.attributes, 'upstream_a', 'source_a'),
    },
  };
  it.each([
    ['upstream declares its key', state([a, b], [edge]), ['upstream_a']],
    // The last preview still has the old key: the declared (renamed) one is what sync writes.
    [
      'upstream renamed since the last preview',
      state([renamed, b], [edge], { a: ['upstream_a'] }),
      ['source_a'],
    ],
    [
      'a key prefix applied once',
      state([node('a', 'upstream_a', { translation: { key_prefix: 'raw' } }), b], [edge]),
      ['raw/upstream_a'],
    ],
    [
      'upstream declares nothing: the preview’s keys',
      state(
        [node('a', 'shop_dbt', { component_type: 'dagster_dbt.DbtProjectComponent', attributes: {} }), b],
        [edge],
        {
          a: ['orders', 'customers'],
        },
      ),
      ['orders', 'customers'],
    ],
    ['no edge, no deps', state([a, b], []), []],
  ])('%s', (_, shown, expected) => {
    expect(edgeDepsOf(shown, 'b')).toEqual(expected);
  });
});
