// A dbt node's project path without guesswork: the dbt projects of the workspace (folders with a
// dbt_project.yml) as choices, written as "{{ context.project_root }}/<folder>" (relative paths are read from the
// defs.yaml's folder, which is rarely what one means). The current path is shown resolved, and flagged when wrong.
import { nodeLocation } from '@designer/shared';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { designerStore, useDesigner } from '../store';
import type { DesignerNode } from '../store/graph-ops';
import { dbtProjectDir } from './NodeCode';

const rooted = (folder: string) => `{{ context.project_root }}/${folder}`;

export function DbtProjectChooser({ node }: { node: DesignerNode }) {
  const project = useDesigner((s) => s.project);
  const [found, setFound] = useState<string[] | null>(null);
  useEffect(() => {
    if (!project) return;
    let live = true;
    api.listFiles(project.id).then(
      (list) =>
        live &&
        setFound(
          list
            .map((f) => f.path)
            .filter((p) => p === 'dbt_project.yml' || p.endsWith('/dbt_project.yml'))
            .map((p) => p.slice(0, -'/dbt_project.yml'.length))
            .filter((p) => p !== '')
            .sort(),
        ),
      () => live && setFound([]),
    );
    return () => {
      live = false;
    };
  }, [project]);
  if (!project || found === null) return null;
  const current = dbtProjectDir(
    node.data.attributes.project,
    project.package_name,
    nodeLocation(node).folder,
  );
  const ok = current !== null && found.includes(current);
  const choose = (folder: string) =>
    designerStore.getState().updateNode(node.id, {
      attributes: { ...node.data.attributes, project: rooted(folder) },
    });
  return (
    <div className={ok ? 'dbt-chooser' : 'offer'} role="note" data-testid="dbt-project-chooser">
      {current === null ? (
        <div>Choose the dbt project this component loads.</div>
      ) : ok ? (
        <div className="muted small">
          dbt project: <span className="mono">{current}/</span>
        </div>
      ) : (
        <div>
          The path resolves to <span className="mono">{current || '.'}/</span>, which has no dbt_project.yml.
        </div>
      )}
      {found.length === 0 ? (
        <div className="muted small">No folder of this project holds a dbt_project.yml yet.</div>
      ) : (
        found
          .filter((folder) => folder !== current)
          .map((folder) => (
            <button key={folder} onClick={() => choose(folder)} title={`Writes "${rooted(folder)}"`}>
              Use {folder}/
            </button>
          ))
      )}
    </div>
  );
}
