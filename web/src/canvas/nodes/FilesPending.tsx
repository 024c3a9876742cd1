// A node whose script or SQL file the workspace does not hold yet says so where it would say "ok" (its errors and
// warnings still show first): the sync after the save writes its starter (project/pending-files.ts).
import { useMemo } from 'react';
import { useFilesPending, nodeFilePaths } from '../../project/pending-files';
import { useDesigner } from '../../store';
import type { DesignerNode } from '../../store/graph-ops';

const NO_PATHS: string[] = [];

/** The node's script / SQL files when one is not in the workspace yet, else null. */
export function useNodeFilesPending(id: string, data: DesignerNode['data']): string[] | null {
  const pkg = useDesigner((s) => s.project?.package_name);
  const paths = useMemo(
    () => (pkg ? nodeFilePaths({ id, type: 'component', data }, pkg) : NO_PATHS),
    [id, data, pkg],
  );
  return useFilesPending(paths) ? paths : null;
}

export function FilesPendingPill({ paths }: { paths: string[] }) {
  return (
    <span
      className="node-pill node-status pending"
      data-testid="files-pending"
      title={`Writing ${paths.map((p) => p.slice(p.lastIndexOf('/') + 1)).join(', ')}: the sync after the save writes a starter file; the status shows once it exists`}
    >
      writing file…
    </span>
  );
}
