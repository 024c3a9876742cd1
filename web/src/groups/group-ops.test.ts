import { validateGraph } from '@designer/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDesignerStore } from '../store';
import { fromProjectGraph, newId, toProjectGraph } from '../store/graph-ops';
import * as ops from './group-ops';
import { frameOf, FRAME_PADDING } from './group-view';

let store: ReturnType<typeof createDesignerStore>;
const s = () => store.getState();
const script = { type: 'dagster.PythonScriptComponent', name: 'Python Script' };
const labels = () => s().nodes.map((n) => n.data.label);

/** Three script nodes a → b → c and an outside node x → a; a, b, c selected. */
function setUp() {
  const ids = [0, 1, 2, 3].map((i) => s().addComponent(script, { x: i * 400, y: 0 }));
  s().connectNodes(ids[3]!, ids[0]!);
  s().connectNodes(ids[0]!, ids[1]!);
  s().connectNodes(ids[1]!, ids[2]!);
  store.setState((d) => ({
    nodes: d.nodes.map((n) => ({ ...n, selected: ids.slice(0, 3).includes(n.id) })),
  }));
  const result = ops.groupSelection(s(), newId('group'))!;
  s().applyGraph(result.state);
  return { ids, group: result.id };
}

beforeEach(() => {
  store = createDesignerStore();
});

describe('groups in the store', () => {
  it('groups the selection as one undo step, and the saved graph is valid', () => {
    const { ids, group } = setUp();
    expect(s().groups).toHaveLength(1);
    expect(s().groups[0]).toMatchObject({
      id: group,
      name: 'Group',
      members: ids.slice(0, 3),
      selected: true,
    });
    const graph = toProjectGraph(s());
    expect(graph.groups).toEqual([{ id: group, name: 'Group', color: 'blue', members: ids.slice(0, 3) }]);
    expect(validateGraph(graph)).toEqual([]);
    expect(fromProjectGraph(graph).groups).toEqual(graph.groups);
    s().undo();
    expect(s().groups).toEqual([]);
    s().redo();
    expect(s().groups).toHaveLength(1);
  });

  it('deletes a selected group with its members in one step; undo brings both back', () => {
    const { ids } = setUp();
    s().deleteSelection();
    expect(s().nodes.map((n) => n.id)).toEqual([ids[3]]);
    expect(s().groups).toEqual([]);
    expect(s().edges).toEqual([]);
    s().undo();
    expect(s().nodes).toHaveLength(4);
    expect(s().groups[0]!.members).toEqual(ids.slice(0, 3));
    expect(s().edges).toHaveLength(3);
  });

  it('copies and pastes a group as a new group of the pasted nodes', () => {
    setUp();
    expect(s().copy()).toBe(true);
    s().pasteClipboard();
    expect(s().groups).toHaveLength(2);
    const [first, second] = s().groups;
    expect(second!.id).not.toBe(first!.id);
    expect(second!.members.every((m) => !first!.members.includes(m))).toBe(true);
    expect(labels()).toHaveLength(7);
    expect(validateGraph(toProjectGraph(s()))).toEqual([]);
    s().undo();
    expect(s().groups).toHaveLength(1);
  });

  it('sets, renames and clears the Dagster group of the members; ungroup clears what the group set', () => {
    const { ids, group } = setUp();
    s().applyGraph(ops.setDagsterGroup(s(), group, true));
    const groupNames = () => s().nodes.map((n) => n.data.translation?.group_name ?? null);
    expect(groupNames()).toEqual(['group', 'group', 'group', null]);
    s().applyGraph(ops.renameGroup(s(), group, 'Raw ingest'));
    expect(groupNames()).toEqual(['raw_ingest', 'raw_ingest', 'raw_ingest', null]);
    s().applyGraph(ops.ungroup(s(), group));
    expect(groupNames()).toEqual([null, null, null, null]);
    expect(
      s()
        .nodes.filter((n) => n.selected)
        .map((n) => n.id),
    ).toEqual(ids.slice(0, 3));
  });

  it('collapses and expands as undoable steps', () => {
    const { group } = setUp();
    s().applyGraph(ops.setCollapsed(s(), group, true));
    expect(s().groups[0]!.collapsed).toBe(true);
    s().applyGraph(ops.setCollapsed(s(), group, false));
    expect('collapsed' in s().groups[0]!).toBe(false);
    s().undo();
    expect(s().groups[0]!.collapsed).toBe(true);
  });
});

describe('frameOf', () => {
  it('is the bounding box of the members with room for the header', () => {
    const node = (x: number, y: number) =>
      ({ id: `${x}`, position: { x, y }, measured: { width: 200, height: 50 }, data: {} }) as never;
    expect(frameOf([node(0, 0), node(300, 100)])).toEqual({
      x: -FRAME_PADDING.side,
      y: -FRAME_PADDING.top,
      width: 500 + 2 * FRAME_PADDING.side,
      height: 150 + FRAME_PADDING.top + FRAME_PADDING.bottom,
    });
    expect(frameOf([])).toBeNull();
  });
});
