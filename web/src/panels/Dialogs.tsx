// Modal dialogs: new project, open project, save conflict, delete, keyboard shortcuts.
import { useEffect, useMemo, useState } from 'react';
import { Modal } from '../ui/Modal';
import { TextField } from '../ui/TextField';
import { commands } from '../commands/registry';
import { shortcutLabel } from '../commands/keyboard';
import {
  closeProject,
  createProject,
  deleteProject,
  openProject,
  refreshProjects,
  reportError,
  saveProject,
} from '../project/project-actions';
import { designerStore, useDesigner } from '../store';
import { GitDialog } from './GitDialog';
import { ImportDialog } from './ImportDialog';
import { RunDialog } from './RunDialog';
import { SearchInput } from './SearchInput';
import { TemplatePicker } from '../project/TemplatePicker';
import { createProjectFromTemplate } from '../project/template-actions';

const close = () => designerStore.getState().setDialog(null);

function NewProjectDialog() {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [template, setTemplate] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    await saveProject();
    if (template) await createProjectFromTemplate(name.trim(), description.trim() || undefined, template);
    else await createProject(name.trim(), description.trim() || undefined);
    setBusy(false);
  };
  return (
    <Modal title="New project" onClose={close}>
      <form onSubmit={submit} className="form">
        <TextField
          caption="Name"
          label="Project name"
          value={name}
          onChange={setName}
          maxLength={200}
          placeholder="e.g. Sales analytics"
          required
        />
        <label className="field">
          <span>Description</span>
          <textarea
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            maxLength={5000}
            rows={3}
            aria-label="Project description"
          />
        </label>
        <TemplatePicker value={template} onChange={setTemplate} />
        <p className="muted small">
          A real Dagster project is created for it with create-dagster; this takes a few seconds in the
          background.
        </p>
        <div className="actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !name.trim()}>
            {busy ? 'Creating…' : 'Create project'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function relativeTime(iso?: string): string {
  if (!iso) return '';
  const seconds = (Date.now() - Date.parse(iso)) / 1000;
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

export function ProjectList({ onOpen }: { onOpen?: () => void }) {
  const projects = useDesigner((s) => s.projects);
  const current = useDesigner((s) => s.project?.id);
  const [query, setQuery] = useState('');
  const [confirm, setConfirm] = useState<string | null>(null);
  useEffect(() => {
    void refreshProjects();
  }, []);
  const shown = useMemo(
    () =>
      (projects ?? []).filter((p) =>
        `${p.name ?? ''} ${p.description ?? ''} ${p.id}`.toLowerCase().includes(query.toLowerCase()),
      ),
    [projects, query],
  );
  const remove = async (id: string) => {
    try {
      await deleteProject(id);
      if (id === current) closeProject();
      setConfirm(null);
      await refreshProjects();
    } catch (error) {
      reportError(error, 'Could not delete the project');
    }
  };
  return (
    <div className="project-list">
      <SearchInput label="Search projects" value={query} onChange={setQuery} />
      {projects === null && (
        <div className="muted pad">
          <span className="spinner" /> Loading projects…
        </div>
      )}
      {projects?.length === 0 && (
        <div className="muted pad">No projects yet. Create one to start designing.</div>
      )}
      <ul>
        {shown.map((p) => (
          <li key={p.id} className={p.error ? 'broken' : ''}>
            <button
              className="project-row"
              disabled={Boolean(p.error)}
              onClick={async () => {
                await saveProject();
                await openProject(p.id);
                onOpen?.();
              }}
              title={p.error ? p.error.message : p.description}
            >
              <span className="project-row-name">{p.name ?? p.id}</span>
              {p.error ? (
                <span className="badge error" title={p.error.message}>
                  unreadable: {p.error.code}
                </span>
              ) : (
                <span className="muted small">
                  {p.nodeCount} component{p.nodeCount === 1 ? '' : 's'} · {relativeTime(p.updated_at)}
                </span>
              )}
            </button>
            {confirm === p.id ? (
              <span className="confirm">
                Delete “{p.name ?? p.id}” and its Dagster project?
                <button className="danger" onClick={() => void remove(p.id)}>
                  Delete
                </button>
                <button onClick={() => setConfirm(null)}>Keep</button>
              </span>
            ) : (
              <button
                className="icon"
                aria-label={`Delete ${p.name ?? p.id}`}
                title="Delete"
                onClick={() => setConfirm(p.id)}
              >
                ✕
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function OpenProjectDialog() {
  return (
    <Modal title="Open project" onClose={close} wide>
      <ProjectList />
      <div className="actions">
        <button onClick={() => designerStore.getState().setDialog('import')}>Import…</button>
        <button onClick={() => designerStore.getState().setDialog('new')}>New project…</button>
        <button onClick={close}>Close</button>
      </div>
    </Modal>
  );
}

function ConflictDialog() {
  const conflictVersion = useDesigner((s) => s.conflictVersion);
  const project = useDesigner((s) => s.project);
  return (
    <Modal title="This project changed elsewhere" onClose={close}>
      <p>
        Someone (another tab or tool) saved version {conflictVersion ?? '?'} of “{project?.name}” while you
        were editing version {project?.version}. Nothing was lost yet: choose which version to keep.
      </p>
      <div className="actions">
        <button onClick={() => project && void openProject(project.id)}>
          Reload theirs (discard my changes)
        </button>
        <button className="danger" onClick={() => void saveProject({ overwrite: true })}>
          Overwrite with mine
        </button>
      </div>
    </Modal>
  );
}

function ShortcutsDialog() {
  return (
    <Modal title="Keyboard shortcuts" onClose={close} wide>
      {/* Every command, with its keys where it has any: each user action can be found here. */}
      <table className="shortcuts">
        <tbody>
          {commands.map((c) => (
            <tr key={c.id}>
              <td>{c.label}</td>
              <td>
                {(c.shortcuts ?? []).map((s) => (
                  <kbd key={s}>{shortcutLabel(s)}</kbd>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button onClick={close}>Close</button>
      </div>
    </Modal>
  );
}

export function Dialogs() {
  const dialog = useDesigner((s) => s.dialog);
  if (dialog === 'new') return <NewProjectDialog />;
  if (dialog === 'open') return <OpenProjectDialog />;
  if (dialog === 'conflict') return <ConflictDialog />;
  if (dialog === 'shortcuts') return <ShortcutsDialog />;
  if (dialog === 'git') return <GitDialog />;
  if (dialog === 'import') return <ImportDialog />;
  if (dialog === 'run') return <RunDialog />;
  return null;
}
