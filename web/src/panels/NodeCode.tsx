// The code a component runs, next to its form: the script or SQL file it points at (edited in place), the dbt
// models of a dbt project (listed, opened in the Files tab), and the DuckDB connection a SQL component needs.
import { nodeFiles, nodeLocation } from '@designer/shared';
import { useEffect, useMemo, useState } from 'react';
import { addDuckDbConnection, loadCatalog } from '../project/catalog-actions';
import { listFiles, type ProjectFileEntry } from '../project/file-actions';
import { FileEditor } from '../editor/FileEditor';
import { reportError } from '../project/project-actions';
import { designerStore, useDesigner, useDesignerShallow } from '../store';
import type { DesignerNode } from '../store/graph-ops';

const defsPath = (pkg: string, label: string, relative: string) => `src/${pkg}/defs/${label}/${relative}`;

/** The workspace-relative folder of a dbt project attribute ("{{ context.project_root }}/dbt" or a defs-relative path). */
export function dbtProjectDir(value: unknown, pkg: string, label: string): string | null {
  const raw =
    typeof value === 'string'
      ? value
      : typeof value === 'object' &&
          value !== null &&
          typeof (value as { project_dir?: unknown }).project_dir === 'string'
        ? (value as { project_dir: string }).project_dir
        : null;
  if (!raw) return null;
  const rooted = /^\{\{\s*context\.project_root\s*\}\}\/?(.*)$/.exec(raw);
  const relative = rooted ? rooted[1]! : `src/${pkg}/defs/${label}/${raw}`;
  const parts: string[] = [];
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!parts.pop()) return null;
    } else parts.push(part);
  }
  return parts.join('/');
}

export function hasNodeCode(node: DesignerNode): boolean {
  return (
    nodeFiles(node).length > 0 ||
    node.data.component_type === 'dagster.TemplatedSqlComponent' ||
    node.data.component_type.startsWith('dagster_dbt.')
  );
}

export function NodeCode({ node }: { node: DesignerNode }) {
  const pkg = useDesigner((s) => s.project?.package_name);
  const ready = useDesigner((s) => s.workspace?.status === 'ready');
  const files = useMemo(() => nodeFiles(node), [node]);
  if (!pkg) return null;
  if (!ready) return <div className="muted small">The code appears once the Dagster project is ready.</div>;
  return (
    <div className="node-code">
      {node.data.component_type === 'dagster.TemplatedSqlComponent' && <SqlConnection node={node} />}
      {node.data.component_type.startsWith('dagster_dbt.') && <DbtModels node={node} pkg={pkg} />}
      {files.length === 0 && node.data.component_type === 'dagster.TemplatedSqlComponent' && (
        <p className="muted small">
          The SQL is written inline in the form. To keep it in a file, choose "SqlFile" for SQL template and
          name a .sql file: the designer writes a starter you can edit here.
        </p>
      )}
      {files.map((f) => {
        const path = defsPath(pkg, nodeLocation(node).folder, f.path);
        return (
          <div key={f.field} className="node-code-file">
            <div className="node-code-head">
              <span className="muted small">{f.field}</span>
              <button className="link" onClick={() => designerStore.getState().setOpenFile(path)}>
                Open in Files
              </button>
            </div>
            <FileEditor key={path} path={path} compact />
          </div>
        );
      })}
    </div>
  );
}

/** A TemplatedSqlComponent runs on a connection; without one in the graph, offer to add a DuckDB connection. */
function SqlConnection({ node }: { node: DesignerNode }) {
  const project = useDesigner((s) => s.project);
  // A new array on every call: compared shallowly, or React re-renders forever (error #185).
  const connections = useDesignerShallow((s) =>
    s.nodes
      .filter((n) => n.data.component_type.endsWith('.DuckDBConnectionComponent'))
      .map((n) => n.data.label),
  );
  const [busy, setBusy] = useState(false);
  const connection = node.data.attributes.connection;
  if (typeof connection === 'string' && connection.trim() !== '') return null;
  const use = (label: string) =>
    designerStore.getState().updateNode(node.id, {
      attributes: { ...node.data.attributes, connection: `{{ context.load_component('${label}') }}` },
    });
  const add = async () => {
    if (!project) return;
    setBusy(true);
    try {
      const added = await addDuckDbConnection(project.id);
      const s = designerStore.getState();
      const at = s.nodes.find((n) => n.id === node.id)?.position ?? node.position;
      const id = s.addComponent(
        { type: added.componentType, name: 'warehouse' },
        // Left of the SQL node that uses it (the canvas moves it to the nearest free spot when that one is taken),
        // where it is now: the panel's node keeps the place it had when it was shown (a drag does not render it).
        { x: at.x - 320, y: at.y },
      );
      const label = designerStore.getState().nodes.find((n) => n.id === id)?.data.label;
      if (label) use(label);
      designerStore.getState().selectOnly(node.id);
      // The connection is a component of this project: the palette lists it from now on.
      void loadCatalog();
      s.toast(
        'success',
        'Added a DuckDB connection.',
        added.installed.length ? `Installed ${added.installed.join(', ')}.` : undefined,
      );
    } catch (error) {
      reportError(error, 'Adding the DuckDB connection failed');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="offer" role="note">
      <div>This SQL runs on a connection, and none is set.</div>
      {connections.length > 0 ? (
        connections.map((label) => (
          <button key={label} onClick={() => use(label)}>
            Use {label}
          </button>
        ))
      ) : (
        <button className="primary" disabled={busy} onClick={() => void add()}>
          {busy ? 'Adding…' : 'Add a DuckDB connection'}
        </button>
      )}
    </div>
  );
}

function DbtModels({ node, pkg }: { node: DesignerNode; pkg: string }) {
  const projectId = useDesigner((s) => s.project?.id);
  const dir = dbtProjectDir(node.data.attributes.project, pkg, nodeLocation(node).folder);
  const [models, setModels] = useState<ProjectFileEntry[] | null>(null);
  useEffect(() => {
    if (!projectId || !dir) return;
    let live = true;
    listFiles(projectId).then(
      (list) =>
        live && setModels(list.filter((f) => f.path.startsWith(`${dir}/models/`) && f.path.endsWith('.sql'))),
      () => live && setModels([]),
    );
    return () => {
      live = false;
    };
  }, [projectId, dir]);
  if (!dir) return <p className="muted small">Set the dbt project's path to see its models.</p>;
  return (
    <div className="dbt-models">
      <div className="muted small">
        dbt models in <span className="mono">{dir}</span> (open in the dbt project to edit)
      </div>
      {models === null ? (
        <span className="spinner" />
      ) : models.length === 0 ? (
        <div className="muted small">No models found under {dir}/models.</div>
      ) : (
        <ul>
          {models.map((m) => (
            <li key={m.path}>
              <button className="link mono" onClick={() => designerStore.getState().setOpenFile(m.path)}>
                {m.path.slice(dir.length + 1)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
