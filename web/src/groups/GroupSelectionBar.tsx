// Shown while two or more nodes are selected: "Group" (Ctrl/Cmd+G), the selection's own small toolbar.
import { Panel } from '@xyflow/react';
import { shortcutLabel } from '../ui/shortcut-label';
import { useDesigner } from '../store';
import { groupSelected } from './group-actions';

export function GroupSelectionBar() {
  // A count, so the bar re-renders only when it changes (not on every drag frame's new node objects).
  const count = useDesigner((s) => {
    let n = 0;
    for (const node of s.nodes) if (node.selected) n += 1;
    return n;
  });
  if (count < 2) return null;
  return (
    <Panel position="bottom-center" className="group-selection-bar">
      <span>{count} nodes selected</span>
      <button type="button" className="small primary" onClick={groupSelected} title={shortcutLabel('Mod+G')}>
        Group
      </button>
    </Panel>
  );
}
