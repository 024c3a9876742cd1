// The panel of a Python-definitions node: what its folder or module defines (from the last preview) and its code,
// edited in place. The designer never rewrites this code; dependencies into it are written in the code itself.
import { nodeLocation } from '@designer/shared';
import { TabStrip } from './TabStrip';
import { useEffect, useMemo, useState } from 'react';
import { listFiles } from '../project/file-actions';
import { FileEditor } from '../editor/FileEditor';
import { useDesigner, useDesignerShallow } from '../store';
import type { DesignerNode } from '../store/graph-ops';

type Section = 'defines' | 'code';

function Defines({ node }: { node: DesignerNode }) {
  const { assets, defs, problems } = useDesignerShallow((s) => ({
    assets: s.preview.assets,
    defs: s.preview.definitions,
    problems: s.preview.problems,
  }));
  const mine = <T extends { nodeId?: string }>(list: readonly T[] | undefined) =>
    (list ?? []).filter((d) => d.nodeId === node.id);
  const groups: Array<[string, string[]]> = [
    ['Assets', mine(assets).map((a) => a.key)],
    [
      'Asset checks',
      mine(defs?.checks).map((c) => `${c.asset}: ${c.name}${c.blocking ? ' (blocking)' : ''}`),
    ],
    ['Jobs', mine(defs?.jobs).map((j) => j.name)],
    ['Schedules', mine(defs?.schedules).map((s) => `${s.name} (${s.cron_schedule})`)],
    ['Sensors', mine(defs?.sensors).map((s) => s.name)],
    ['Resources', mine(defs?.resources).map((r) => `${r.key}: ${r.type}`)],
  ];
  const needsCode = problems.filter((p) => p.nodeId === node.id && /needs a code change/.test(p.message));
  return (
    <div className="python-defines">
      {needsCode.map((p) => (
        <div key={p.message} className="offer" role="note">
          <div>{p.message}</div>
          {p.hint && <div className="muted small">{p.hint}</div>}
        </div>
      ))}
      {groups.every(([, items]) => items.length === 0) && (
        <p className="muted small">Preview to see what this code defines.</p>
      )}
      {groups
        .filter(([, items]) => items.length > 0)
        .map(([title, items]) => (
          <section key={title}>
            <h3 className="small">
              {title} <span className="muted">{items.length}</span>
            </h3>
            <ul className="mono small" data-testid={`defines-${title.toLowerCase().replace(/ /g, '-')}`}>
              {items.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          </section>
        ))}
    </div>
  );
}

function Code({ node }: { node: DesignerNode }) {
  const project = useDesigner((s) => s.project);
  const [files, setFiles] = useState<string[] | null>(null);
  const where = nodeLocation(node).path;
  const prefix = project ? `src/${project.package_name}/defs/${where}` : null;
  useEffect(() => {
    if (!project || !prefix) return;
    let live = true;
    listFiles(project.id).then(
      (list) =>
        live &&
        setFiles(
          list
            .map((f) => f.path)
            .filter((p) => (p === prefix || p.startsWith(`${prefix}/`)) && p.endsWith('.py'))
            .sort(),
        ),
      () => live && setFiles([]),
    );
    return () => {
      live = false;
    };
  }, [project, prefix]);
  if (files === null) return <span className="spinner" />;
  if (files.length === 0) return <p className="muted small">No Python files under defs/{where}.</p>;
  return (
    <div className="node-code">
      {files.map((path) => (
        <div key={path} className="node-code-file">
          <div className="node-code-head">
            <span className="muted small mono">{path.slice(prefix!.length - where.length)}</span>
          </div>
          <FileEditor key={path} path={path} compact />
        </div>
      ))}
    </div>
  );
}

export function PythonDefsPanel({ node }: { node: DesignerNode }) {
  const [section, setSection] = useState<Section>('defines');
  const where = useMemo(() => nodeLocation(node).path, [node]);
  return (
    <>
      <div className="props-header">
        <div className="props-title">
          <span className="palette-badge" style={{ background: '#3776ab' }}>
            py
          </span>
          <div>
            <div className="props-type mono">{node.data.label}</div>
            <div className="muted small">
              Python definitions in <span className="mono">defs/{where}</span>: your code, never rewritten by
              the designer.
            </div>
          </div>
        </div>
      </div>
      <TabStrip
        tabs={[
          ['defines', 'Defines'],
          ['code', 'Code'],
        ]}
        active={section}
        onSelect={setSection}
      />
      <div className="props-body">
        {section === 'defines' && <Defines node={node} />}
        {section === 'code' && <Code node={node} />}
      </div>
    </>
  );
}
