// One component on the canvas: library badge, label (double-click to rename), type, status.
import { declaredAssetKeys, describeType } from '@designer/shared';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { designerStore, useDesigner, useDesignerShallow } from '../../store';
import { lastRunOf } from '../../store/last-run';
import { DeploymentBadge } from '../../deployments/DeploymentBadge';
import { useDeployments } from '../../deployments/deployment-store';
import type { DesignerNode } from '../../store/graph-ops';
import { standingProblems } from '../../forms/validation';
import { categoryStyle } from '../category-style';
import { DefinitionCount } from './DefinitionCount';
import { AutomationBadge } from './AutomationBadge';
import { ChecksBadge } from '../../checks/ChecksBadge';
import { PartitionBadge } from './PartitionBadge';
import { FilesPendingPill, useNodeFilesPending } from './FilesPending';
import { useDetailLevel } from './detail';
import { OutlineNode } from './OutlineNode';

const NO_PROBLEMS: never[] = [];

function StatusBadge({
  id,
  attributes,
  filesPending,
}: {
  id: string;
  attributes: unknown;
  /** The node's files not in the workspace yet: said instead of "ok" (errors and warnings still first). */
  filesPending: string[] | null;
}) {
  const form = useDesigner((s) => s.formProblems[id]);
  const fromDagster = useDesigner((s) =>
    s.preview.problems.some((p) => p.nodeId === id) ? s.preview.problems : NO_PROBLEMS,
  );
  // The same problems the Problems tab lists: each once, none about attributes changed since the preview.
  const problems = useMemo(
    () =>
      form === undefined
        ? undefined
        : [
            ...form,
            // The whole list (its identity tells which attributes the preview saw), then this node's.
            ...standingProblems(fromDagster, (node) => (node === id ? attributes : undefined), {
              [id]: form,
            }).filter((p) => p.nodeId === id),
          ],
    [form, fromDagster, id, attributes],
  );
  if (problems === undefined)
    return (
      <span className="node-pill node-status pending" title="Checking against the component's schema…">
        …
      </span>
    );
  const errors = problems?.filter((p) => p.severity === 'error').length ?? 0;
  const warnings = (problems?.length ?? 0) - errors;
  if (errors > 0)
    return (
      <span className="node-pill node-status error" title={problems!.map((p) => p.message).join('\n')}>
        {errors} error{errors > 1 ? 's' : ''}
      </span>
    );
  if (warnings > 0)
    return (
      <span className="node-pill node-status warning" title={problems!.map((p) => p.message).join('\n')}>
        {warnings} warning{warnings > 1 ? 's' : ''}
      </span>
    );
  if (filesPending) return <FilesPendingPill paths={filesPending} />;
  return (
    <span className="node-pill node-status ok" title="Its attributes match the component's schema">
      ok
    </span>
  );
}

/** The component's part in the most recent run that ran one of its assets. */
function LastRun({ id, label }: { id: string; label: string }) {
  const run = useDesignerShallow((s) => {
    // No run yet (a project just opened): nothing to look up. This runs for every node in view on every store
    // update, a drag's steps included, and finding the node among 1,000 is the costly part.
    if (s.runs.history.length === 0) return null;
    const node = s.nodes.find((n) => n.id === id);
    const keys = s.preview.assets.filter((a) => a.nodeId === id).map((a) => a.key);
    if (keys.length === 0 && node) keys.push(...(declaredAssetKeys(node) ?? []));
    return lastRunOf(s.runs.history, keys, label);
  });
  // With a deployment picked, the node shows its state there instead (DeploymentBadge).
  const onDeployment = useDeployments((d) => d.selectedId !== null);
  if (!run || onDeployment) return null;
  const ok = run.status === 'SUCCESS';
  const failed = run.status === 'FAILURE' || run.status === 'CANCELED';
  const time = run.at
    ? new Date(run.at * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : '';
  return (
    <span
      className={`node-pill node-run ${ok ? 'ok' : failed ? 'failed' : 'running'}`}
      data-testid={`last-run-${label}`}
      title={`Last run: ${run.status.toLowerCase()}${time ? ` at ${time}` : ''}`}
    >
      {ok ? '✓' : failed ? '✗' : '…'} {time}
    </span>
  );
}

function LabelEditor({ id, label, onDone }: { id: string; label: string; onDone: () => void }) {
  const [value, setValue] = useState(label);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.select();
  }, []);
  const commit = () => {
    const problem = designerStore.getState().renameNode(id, value.trim());
    if (problem) setError(problem);
    else onDone();
  };
  return (
    <div className="label-editor nodrag">
      <input
        ref={input}
        aria-label="Component name"
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') onDone();
        }}
        onBlur={() => (error ? onDone() : commit())}
      />
      {error && (
        <div className="label-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** The pills around a node, left out when zoomed out (see detail.ts): each subscribes to the store. */
function NodePills({ id, data }: { id: string; data: DesignerNode['data'] }) {
  const filesPending = useNodeFilesPending(id, data);
  return (
    <>
      <LastRun id={id} label={data.label} />
      <DeploymentBadge id={id} label={data.label} />
      <DefinitionCount id={id} />
      <StatusBadge id={id} attributes={data.attributes} filesPending={filesPending} />
      <AutomationBadge condition={data.translation?.automation_condition} />
      <ChecksBadge id={id} label={data.label} />
      <PartitionBadge data={data} />
    </>
  );
}

function ComponentNodeView({ id, data, selected }: NodeProps<DesignerNode>) {
  const [editing, setEditing] = useState(false);
  const { name, category } = describeType(data.component_type);
  const style = categoryStyle(category);
  const level = useDetailLevel();
  if (level === 'outline')
    return <OutlineNode label={data.label} title={name} color={style.color} selected={selected} />;
  return (
    <div
      className={`component-node${selected ? ' selected' : ''}${level === 'full' ? '' : ' minimal'}`}
      data-testid={`node-${data.label}`}
      style={{ ['--accent' as string]: style.color }}
    >
      <Handle type="target" position={Position.Left} className="handle" aria-label="Upstream" />
      <div className="node-badge" style={{ background: style.color }}>
        {style.badge}
      </div>
      <div className="node-body">
        {editing ? (
          <LabelEditor id={id} label={data.label} onDone={() => setEditing(false)} />
        ) : (
          <div className="node-label" title="Double-click to rename" onDoubleClick={() => setEditing(true)}>
            {data.label}
          </div>
        )}
        <div className="node-type" title={data.component_type}>
          {name}
        </div>
      </div>
      {level === 'full' && <NodePills id={id} data={data} />}
      <Handle type="source" position={Position.Right} className="handle" aria-label="Downstream" />
    </div>
  );
}

export const ComponentNode = memo(ComponentNodeView);
