// Paths into the project without guesswork: for every attribute of the node that is a file or folder of the
// project (a dbt project, a Sling replication file, a script, a SQL template: shared/src/project-path-attributes.ts)
// the workspace's matching files are choices, written as Dagster reads them (a file in the node's own folder as
// `load.py`, anything else as "{{ context.project_root }}/<path>"). The current path is shown resolved, and flagged
// when it leads nowhere.
import {
  nodeLocation,
  pathAttributesOf,
  pathChoices,
  pathValueFor,
  pathValues,
  resolvePathValue,
  setAttributeAt,
  type PathValue,
} from '@designer/shared';
import { useEffect, useState } from 'react';
import { listFiles } from '../project/file-actions';
import { designerStore, useDesigner } from '../store';
import type { DesignerNode } from '../store/graph-ops';

/** The path fields of a node, plus the first item of a list that has none yet (choosing one adds it). */
function fieldsOf(node: DesignerNode): PathValue[] {
  const values = pathValues(node.data.component_type, node.data.attributes);
  for (const attribute of pathAttributesOf(node.data.component_type))
    if (attribute.field.includes('[]') && !values.some((v) => v.attribute === attribute))
      values.push({ attribute, field: attribute.field.replace('[]', '.0'), value: null });
  return values;
}

export function ProjectPathChooser({ node }: { node: DesignerNode }) {
  const projectId = useDesigner((s) => s.project?.id);
  const packageName = useDesigner((s) => s.project?.package_name);
  // Files change with a sync (starter scripts) and in the Files tab: listed again after every preview.
  const previewAt = useDesigner((s) => s.preview.at);
  const [files, setFiles] = useState<string[] | null>(null);
  const fields = fieldsOf(node);
  const wanted = fields.length > 0;
  useEffect(() => {
    if (!projectId || !wanted) return;
    let live = true;
    listFiles(projectId).then(
      (list) => live && setFiles(list.map((f) => f.path)),
      () => live && setFiles([]),
    );
    return () => {
      live = false;
    };
  }, [projectId, node.id, wanted, previewAt]);
  if (!wanted || !packageName || files === null) return null;
  const folder = [`src/${packageName}/defs`, nodeLocation(node).folder].filter(Boolean).join('/');
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 14 }}>
      {fields.map((entry) => (
        <PathField key={entry.field} node={node} entry={entry} files={files} folder={folder} />
      ))}
    </div>
  );
}

function PathField({
  node,
  entry,
  files,
  folder,
}: {
  node: DesignerNode;
  entry: PathValue;
  files: string[];
  folder: string;
}) {
  const { attribute, field, value } = entry;
  const choices = pathChoices(attribute, files).sort(
    (a, b) => Number(!a.startsWith(`${folder}/`)) - Number(!b.startsWith(`${folder}/`)),
  );
  const current = value === null ? null : resolvePathValue(value, attribute, folder);
  const ok = current !== null && (attribute.kind === 'folder' ? choices : files).includes(current);
  const shown = (p: string) => (attribute.kind === 'folder' ? `${p}/` : p);
  const choose = (choice: string) => {
    if (!choice) return;
    const { attributes } = designerStore.getState().nodes.find((n) => n.id === node.id)?.data ?? node.data;
    designerStore.getState().updateNode(node.id, {
      attributes: setAttributeAt(attributes, field, pathValueFor(choice, attribute, folder)),
    });
  };
  const list = /\.\d+\./.exec(field);
  const name = `${attribute.what}${list ? ` ${Number(list[0].slice(1, -1)) + 1}` : ''}`;
  return (
    <div
      className={ok || (value === null && choices.length === 0) ? 'path-chooser' : 'offer'}
      role="note"
      data-testid="path-chooser"
      data-field={field}
    >
      <label className="small">
        {name[0]!.toUpperCase() + name.slice(1)}{' '}
        <select
          value={ok ? current! : ''}
          onChange={(e) => choose(e.target.value)}
          aria-label={`${name} (${field})`}
          title={`Writes the path into ${field}, as Dagster reads it`}
        >
          <option value="" disabled>
            {choices.length ? `Choose a ${attribute.what}…` : `No ${attribute.what} in the project yet`}
          </option>
          {choices.map((c) => (
            <option key={c} value={c}>
              {shown(c)}
            </option>
          ))}
        </select>
      </label>
      {value === null ? null : current === null ? (
        <div className="muted small">
          <span className="mono">{value}</span> is left to Dagster to resolve.
        </div>
      ) : ok ? (
        <div className="muted small">
          Reads <span className="mono">{shown(current)}</span>
        </div>
      ) : (
        <div className="small">
          The path resolves to <span className="mono">{shown(current || '.')}</span>, which{' '}
          {attribute.kind === 'folder' ? `has no ${attribute.accepts[0]}` : 'does not exist'}
          {attribute.relativeTo === 'component' && !value.includes('{{')
            ? ` (a relative path is read from ${folder}/)`
            : ''}
          .
        </div>
      )}
    </div>
  );
}
