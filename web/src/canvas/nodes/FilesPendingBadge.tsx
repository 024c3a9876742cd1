// A node whose script or SQL file the workspace does not hold yet says so instead of "ok": the sync after the save
// writes its starter (project/pending-files.ts).
import { useMemo, type ReactNode } from 'react';
import { useFilesPending, nodeFilePaths } from '../../project/pending-files';
import { useDesigner } from '../../store';
import type { DesignerNode } from '../../store/graph-ops';

const NO_PATHS: string[] = [];

export function FilesPendingBadge({
  id,
  data,
  children,
}: {
  id: string;
  data: DesignerNode['data'];
  children: ReactNode;
}) {
  const pkg = useDesigner((s) => s.project?.package_name);
  const paths = useMemo(
    () => (pkg ? nodeFilePaths({ id, type: 'component', data }, pkg) : NO_PATHS),
    [id, data, pkg],
  );
  const pending = useFilesPending(paths);
  if (!pending) return <>{children}</>;
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
