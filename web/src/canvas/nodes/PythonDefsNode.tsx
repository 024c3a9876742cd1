// A folder or module of plain Python definitions under defs/ (`assets/`, `checks/`, `resources.py`, …), imported
// from a real project: what it defines is counted on it, its code is edited in the Code tab. Edges out of it are
// real dependencies; edges into it need a change to the Python code, which the panel explains.
import { nodeLocation } from '@designer/shared';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useDesigner } from '../../store';
import type { DesignerNode } from '../../store/graph-ops';
import { DefinitionCount } from './DefinitionCount';
import { useDetailLevel } from './detail';
import { OutlineNode } from './OutlineNode';

const NO_PROBLEMS: never[] = [];

function Problems({ id }: { id: string }) {
  const problems = useDesigner((s) =>
    s.preview.problems.some((p) => p.nodeId === id) ? s.preview.problems : NO_PROBLEMS,
  ).filter((p) => p.nodeId === id);
  if (problems.length === 0) return null;
  const errors = problems.filter((p) => p.severity === 'error').length;
  const word = errors > 0 ? 'error' : 'warning';
  const n = errors > 0 ? errors : problems.length;
  return (
    <span className={`node-pill node-status ${word}`} title={problems.map((p) => p.message).join('\n')}>
      {n} {word}
      {n > 1 ? 's' : ''}
    </span>
  );
}

function PythonDefsNodeView({ id, data, selected }: NodeProps<DesignerNode>) {
  const where = nodeLocation({ id, type: 'python', data });
  const level = useDetailLevel();
  if (level === 'outline')
    return (
      <OutlineNode
        label={data.label}
        title="Python definitions"
        color="#3776ab"
        selected={selected}
        extra="python-node"
      />
    );
  const detail = level === 'full';
  return (
    <div
      className={`component-node python-node${selected ? ' selected' : ''}${detail ? '' : ' minimal'}`}
      data-testid={`node-${data.label}`}
      style={{ ['--accent' as string]: '#3776ab' }}
    >
      <Handle type="target" position={Position.Left} className="handle" aria-label="Upstream" />
      <div className="node-badge" style={{ background: '#3776ab' }} aria-hidden>
        py
      </div>
      <div className="node-body">
        <div className="node-label" title="Plain Python definitions">
          {data.label}
        </div>
        <div className="node-type" title={`src/…/defs/${where.path}`}>
          Python definitions · {where.path}
          {/\.py$/.test(where.path) ? '' : '/'}
        </div>
      </div>
      {detail && <DefinitionCount id={id} />}
      {detail && <Problems id={id} />}
      <Handle type="source" position={Position.Right} className="handle" aria-label="Downstream" />
    </div>
  );
}

export const PythonDefsNode = memo(PythonDefsNodeView);
