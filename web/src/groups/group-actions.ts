// Group actions used by the commands, the frame's toolbar and the selection bar: each applies one pure operation
// (group-ops.ts) to the store as one undo step.
import { dagsterGroupName, type GroupColor } from '@designer/shared';
import { create } from 'zustand';
import { designerStore } from '../store';
import { newId, type DesignerGroup } from '../store/graph-ops';
import * as ops from './group-ops';

/** The group whose name is being edited on its frame (a new group starts so). */
export const useGroupUi = create<{ renaming: string | null }>(() => ({ renaming: null }));

const s = () => designerStore.getState();

/** The group an action means: the one given, else the selected frame, else the group of the selected nodes. */
export function targetGroup(id?: string): DesignerGroup | null {
  const { groups, nodes } = s();
  if (id) return groups.find((g) => g.id === id) ?? null;
  const frame = groups.find((g) => g.selected);
  if (frame) return frame;
  const selected = new Set(nodes.filter((n) => n.selected).map((n) => n.id));
  return groups.find((g) => g.members.some((m) => selected.has(m))) ?? null;
}

/**
 * The group just made while its first name is typed, and the undo history's length then: that name belongs to the
 * step that made the group, so one undo takes the named group away (not the name first, then the group).
 */
let naming: { id: string; past: number } | null = null;
useGroupUi.subscribe((ui) => {
  if (ui.renaming !== naming?.id) naming = null;
});

export function groupSelected(): void {
  const result = ops.groupSelection(s(), newId('group'));
  if (!result) {
    s().toast('info', 'Select the nodes to group first (Shift+drag, or Shift+click each).');
    return;
  }
  s().applyGraph(result.state);
  naming = { id: result.id, past: s().past.length };
  useGroupUi.setState({ renaming: result.id });
}

export function ungroupSelected(id?: string): void {
  const group = targetGroup(id);
  if (group) s().applyGraph(ops.ungroup(s(), group.id));
}

export function toggleCollapsed(id?: string): void {
  const group = targetGroup(id);
  if (group) s().applyGraph(ops.setCollapsed(s(), group.id, !group.collapsed));
}

export function renameGroup(id: string, name: string): void {
  const next = ops.renameGroup(s(), id, name);
  if (!next.groups) return;
  if (naming?.id === id && naming.past === s().past.length) {
    // Part of the step that made the group: the graph changes (and is saved), the history gets no new step.
    const { nodes, edges, groups } = next;
    designerStore.setState((d) => ({ nodes, edges, groups, future: [], changeCount: d.changeCount + 1 }));
    return;
  }
  s().applyGraph(next);
}

export function recolorGroup(id: string, color: GroupColor): void {
  s().applyGraph(ops.recolorGroup(s(), id, color));
}

/** "Set Dagster group for members" (or stop doing so): the canvas group and Dagster's asset group agree. */
export function toggleDagsterGroup(id?: string): void {
  const group = targetGroup(id);
  if (!group) {
    s().toast('info', 'Select a group first.');
    return;
  }
  const on = !group.dagster_group;
  s().applyGraph(ops.setDagsterGroup(s(), group.id, on));
  const name = dagsterGroupName(group.name);
  s().toast(
    'success',
    on
      ? `The members' assets are in the Dagster group "${name}" from the next preview.`
      : `The members' assets no longer set the Dagster group "${name}".`,
  );
}
