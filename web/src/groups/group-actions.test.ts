// Each group action is one undo step as a user sees it: making a group and typing its first name, collapsing,
// expanding, dragging the frame (many position changes), each undone by one press.
import { beforeEach, describe, expect, it } from 'vitest';
import { designerStore } from '../store';
import { applyGroupAwareNodeChanges } from './group-view';
import { groupSelected, renameGroup, toggleCollapsed, useGroupUi } from './group-actions';

const s = () => designerStore.getState();
const script = { type: 'dagster.PythonScriptComponent', name: 'Python Script' };

beforeEach(() => {
  s().replaceGraph({ nodes: [], edges: [] });
  const ids = [0, 1, 2, 3].map((i) => s().addComponent(script, { x: i * 400, y: 0 }));
  s().connectNodes(ids[0]!, ids[1]!);
  s().replaceGraph({
    nodes: s().nodes.map((n) => ({ ...n, selected: ids.slice(0, 3).includes(n.id) })),
    edges: s().edges,
  });
});

/** Makes the group and names it as the frame's name field does (Enter, then the field goes). */
function groupAndName(name: string): string {
  groupSelected();
  const id = useGroupUi.getState().renaming!;
  renameGroup(id, name);
  useGroupUi.setState({ renaming: null });
  return id;
}

describe('group actions and undo', () => {
  it('undoes a new group and its first name in one press, and redoes both in one', () => {
    const id = groupAndName('Raw ingest');
    expect(s().groups.map((g) => g.name)).toEqual(['Raw ingest']);
    expect(s().past).toHaveLength(1);
    s().undo();
    expect(s().groups).toEqual([]);
    expect(s().past).toHaveLength(0);
    s().redo();
    expect(s().groups.map((g) => [g.id, g.name])).toEqual([[id, 'Raw ingest']]);
  });

  it('keeps a later rename a step of its own', () => {
    const id = groupAndName('Raw ingest');
    renameGroup(id, 'Staging');
    expect(s().past).toHaveLength(2);
    s().undo();
    expect(s().groups.map((g) => g.name)).toEqual(['Raw ingest']);
  });

  it('keeps the first name apart when something else happened while it was typed', () => {
    groupSelected();
    const id = useGroupUi.getState().renaming!;
    s().addComponent(script, { x: 0, y: 600 });
    renameGroup(id, 'Raw ingest');
    useGroupUi.setState({ renaming: null });
    expect(s().past).toHaveLength(3);
  });

  it('collapses, expands and moves the frame one undo step each', () => {
    const id = groupAndName('Raw ingest');
    toggleCollapsed(id);
    toggleCollapsed(id);
    expect(s().past).toHaveLength(3);
    // Dragging the frame: React Flow sends a position per frame; the drag started one step.
    const members = s().groups[0]!.members;
    const before = s()
      .nodes.filter((n) => members.includes(n.id))
      .map((n) => n.position);
    s().beginDrag();
    const frame = s().nodes.filter((n) => members.includes(n.id))[0]!.position;
    for (let step = 1; step <= 10; step += 1)
      applyGroupAwareNodeChanges([
        { type: 'position', id, position: { x: frame.x - 16, y: frame.y - 40 + step * 10 }, dragging: true },
      ]);
    expect(s().past).toHaveLength(4);
    const after = s()
      .nodes.filter((n) => members.includes(n.id))
      .map((n) => n.position);
    expect(after.map((p, i) => p.y - before[i]!.y)).toEqual([100, 100, 100]);
    s().undo();
    expect(
      s()
        .nodes.filter((n) => members.includes(n.id))
        .map((n) => n.position),
    ).toEqual(before);
    s().undo();
    expect(s().groups[0]!.collapsed).toBe(true);
    s().undo();
    expect(s().groups[0]!.collapsed).toBeUndefined();
    s().undo();
    expect(s().groups).toEqual([]);
  });
});
