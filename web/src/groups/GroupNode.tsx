// A group on the canvas: a coloured frame with its name (double-click to rename) and a collapse toggle; collapsed,
// one box whose handles carry the members' outside edges. Selected, a toolbar offers colour, the Dagster group of
// the members, collapse and ungroup (the same actions as the commands).
import { GROUP_COLORS } from '@designer/shared';
import { Handle, NodeToolbar, Position, type NodeProps, type Node } from '@xyflow/react';
import { memo, useEffect, useRef, useState } from 'react';
import {
  recolorGroup,
  renameGroup,
  toggleCollapsed,
  toggleDagsterGroup,
  ungroupSelected,
  useGroupUi,
} from './group-actions';
import type { GroupNodeData } from './group-view';

function GroupName({ id, name }: { id: string; name: string }) {
  const editing = useGroupUi((s) => s.renaming === id);
  const [draft, setDraft] = useState(name);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!editing) return;
    setDraft(name);
    requestAnimationFrame(() => input.current?.select());
  }, [editing, name]);
  const done = (save: boolean) => {
    if (save) renameGroup(id, draft);
    useGroupUi.setState({ renaming: null });
  };
  if (!editing)
    return (
      <span
        className="group-name"
        title="Double-click to rename"
        onDoubleClick={() => useGroupUi.setState({ renaming: id })}
      >
        {name}
      </span>
    );
  return (
    <input
      ref={input}
      className="group-name-input nodrag"
      aria-label="Group name"
      value={draft}
      maxLength={100}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => done(true)}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter') done(true);
        if (e.key === 'Escape') done(false);
      }}
    />
  );
}

function GroupNodeView({ id, data, selected }: NodeProps<Node<GroupNodeData>>) {
  const { group, dagsterName, count } = data;
  const collapsed = Boolean(group.collapsed);
  return (
    <div className="group-node" data-testid={`group-${group.name}`} data-collapsed={collapsed}>
      <NodeToolbar isVisible={selected} position={Position.Top} className="group-toolbar">
        <span className="group-colors" role="radiogroup" aria-label="Colour">
          {GROUP_COLORS.map((c) => (
            <button
              key={c}
              type="button"
              role="radio"
              aria-checked={group.color === c}
              aria-label={c}
              className={`group-swatch group-${c}`}
              onClick={() => recolorGroup(id, c)}
            />
          ))}
        </span>
        <button
          type="button"
          className="small"
          aria-pressed={Boolean(group.dagster_group)}
          title={`Write group_name: ${dagsterName} on the members' assets (translation), so Dagster shows the same group`}
          onClick={() => toggleDagsterGroup(id)}
        >
          {group.dagster_group ? `Dagster group: ${dagsterName} ✓` : 'Set Dagster group for members'}
        </button>
        <button type="button" className="small" onClick={() => toggleCollapsed(id)}>
          {collapsed ? 'Expand' : 'Collapse'}
        </button>
        <button type="button" className="small" onClick={() => ungroupSelected(id)}>
          Ungroup
        </button>
      </NodeToolbar>
      <div className="group-header">
        <button
          type="button"
          className="group-toggle nodrag"
          aria-label={collapsed ? `Expand ${group.name}` : `Collapse ${group.name}`}
          aria-expanded={!collapsed}
          onClick={() => toggleCollapsed(id)}
        >
          {collapsed ? '▸' : '▾'}
        </button>
        <GroupName id={id} name={group.name} />
        {group.dagster_group && (
          <span className="group-dagster" title="The members' assets are in this Dagster group">
            {dagsterName}
          </span>
        )}
      </div>
      {collapsed && (
        <>
          <div className="group-count">
            {count} node{count === 1 ? '' : 's'}
          </div>
          <Handle type="target" position={Position.Left} className="handle" isConnectable={false} />
          <Handle type="source" position={Position.Right} className="handle" isConnectable={false} />
        </>
      )}
    </div>
  );
}

export const GroupNode = memo(GroupNodeView);
