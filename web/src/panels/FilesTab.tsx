// The Dagster project, file by file, in the code editor. Files the user owns (scripts, SQL, README, modules) are
// edited and saved here; a managed node's defs.yaml is shown read-only with a way to its node's YAML view.
import { useEffect, useMemo, useState } from 'react';
import { listFiles, writeFile, type ProjectFileEntry } from '../project/file-actions';
import { FileEditor } from '../editor/FileEditor';
import { reportError } from '../project/project-actions';
import { designerStore, useDesigner } from '../store';
import { focusNode } from './focus';
import { SearchInput } from './SearchInput';

export function FilesTab() {
  const projectId = useDesigner((s) => s.project?.id);
  const ready = useDesigner((s) => s.workspace?.status === 'ready');
  const lastSync = useDesigner((s) => `${s.savedChangeCount}|${s.preview.at ?? ''}`);
  const selected = useDesigner((s) => s.openFile);
  const [files, setFiles] = useState<ProjectFileEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');

  useEffect(() => {
    if (!projectId || !ready) return;
    let live = true;
    // Saves sync in the background about a second later: list again after that.
    const timer = setTimeout(
      () => {
        listFiles(projectId).then(
          (list) => live && setFiles(list),
          (e: Error) => live && setError(e.message),
        );
      },
      files ? 1500 : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `files` only decides the first delay.
  }, [projectId, ready, lastSync]);

  const shown = useMemo(
    () => (files ?? []).filter((f) => f.path.toLowerCase().includes(filter.toLowerCase())),
    [files, filter],
  );
  const entry = files?.find((f) => f.path === selected);

  const newFile = () => {
    const name = window.prompt(
      'New file, relative to the project (e.g. src/<package>/defs/my_script/helpers.py):',
      selected ? `${selected.slice(0, selected.lastIndexOf('/') + 1)}` : 'src/',
    );
    if (!name || !projectId) return;
    writeFile(projectId, name.trim(), '', null).then(
      (written) => {
        setFiles((list) =>
          [...(list ?? []), { path: written.path, size: 0 }].sort((a, b) => a.path.localeCompare(b.path)),
        );
        designerStore.getState().setOpenFile(written.path);
      },
      (e: unknown) => reportError(e, 'Creating the file failed'),
    );
  };

  if (!ready) return <div className="muted pad">The files appear once the Dagster project is ready.</div>;
  if (error) return <div className="error-box pad">{error}</div>;
  if (!files)
    return (
      <div className="muted pad">
        <span className="spinner" /> Listing the project's files…
      </div>
    );
  return (
    <div className="files-tab">
      <div className="file-sidebar">
        <div className="file-sidebar-bar">
          <SearchInput label="Filter files" value={filter} onChange={setFilter} />
          <button onClick={newFile} title="New file" aria-label="New file">
            +
          </button>
        </div>
        <ul className="file-list" aria-label="Project files">
          {shown.map((f) => (
            <li key={f.path}>
              <button
                className={selected === f.path ? 'active' : ''}
                onClick={() => designerStore.getState().setOpenFile(f.path)}
                title={`${f.path} · ${f.size} bytes${f.managedBy ? ' · written by the designer' : ''}`}
                style={{ paddingLeft: 8 + 10 * (f.path.split('/').length - 1) }}
              >
                {f.managedBy && <span className="managed-mark" aria-hidden="true" />}
                {f.path.split('/').pop()}
                <span className="muted small">
                  {' '}
                  {f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div className="file-view">
        {!selected && (
          <div className="muted pad">
            Pick a file to edit it. Scripts, SQL and modules are yours; each component's defs.yaml is written
            from the canvas (edit it in the component's YAML view).
          </div>
        )}
        {selected && entry?.managedBy && (
          <div className="managed-banner small">
            Written by the designer from a component.{' '}
            <button className="link" onClick={() => focusNode(entry.managedBy!, undefined, 'advanced')}>
              Edit in its YAML view
            </button>
          </div>
        )}
        {selected && (
          <FileEditor
            key={selected}
            path={selected}
            readOnly={Boolean(entry?.managedBy)}
            readOnlyReason="managed by the designer"
          />
        )}
      </div>
    </div>
  );
}
