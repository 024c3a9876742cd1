// The top bar: project manager, save state, history, layout, theme. Buttons run registered commands.
import { shortcutLabel } from '../commands/keyboard';
import { commandById, runCommand } from '../commands/registry';
import { useState } from 'react';
import { renameProject } from '../project/project-actions';
import { retryWorkspace } from '../project/workspace-actions';
import { useDesigner, useDesignerShallow } from '../store';
import { DeploymentSelector } from '../deployments/DeploymentSelector';

function CommandButton({
  id,
  children,
  primary,
  disabled = false,
}: {
  id: string;
  children: React.ReactNode;
  primary?: boolean;
  /** Off for a reason of the caller's (nothing to undo), besides needing a project. */
  disabled?: boolean;
}) {
  const command = commandById(id);
  const hasProject = useDesigner((s) => s.project !== null);
  const shortcut = command.shortcuts?.[0];
  return (
    <button
      className={primary ? 'primary' : ''}
      disabled={disabled || (command.needsProject && !hasProject)}
      title={`${command.label}${shortcut ? ` (${shortcutLabel(shortcut)})` : ''}`}
      aria-label={command.label}
      onClick={() => runCommand(id)}
      data-command={id}
    >
      {children}
    </button>
  );
}

function PreviewButton() {
  const running = useDesigner((s) => s.preview.status === 'running');
  const ready = useDesigner((s) => s.workspace?.status === 'ready');
  return (
    <button
      className="primary"
      disabled={!ready || running}
      onClick={() => runCommand('project.preview')}
      title={`Preview assets (${shortcutLabel('Mod+Enter')}): save, sync and load the real definitions`}
      data-command="project.preview"
    >
      {running ? (
        <>
          <span className="spinner" /> Previewing…
        </>
      ) : (
        'Preview'
      )}
    </button>
  );
}

function ExportButton() {
  const progress = useDesigner((s) => s.exportProgress);
  const ready = useDesigner((s) => s.workspace?.status === 'ready');
  return (
    <button
      disabled={!ready || progress !== null}
      onClick={() => runCommand('project.export')}
      title={`Export ZIP (${shortcutLabel('Shift+Mod+E')}): the runnable project, without venv or secrets`}
      data-command="project.export"
    >
      {progress === null ? (
        'Export'
      ) : (
        <>
          <span className="spinner" /> {(progress / 1024).toFixed(0)} KiB
        </>
      )}
    </button>
  );
}

/** The project's name; double-click (or Enter on focus) to rename it. */
function ProjectName({ name }: { name: string }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(name);
  if (editing) {
    return (
      <input
        className="project-rename"
        aria-label="Project name"
        autoFocus
        value={value}
        maxLength={200}
        onChange={(e) => setValue(e.target.value)}
        onBlur={() => {
          setEditing(false);
          void renameProject(value);
        }}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          if (e.key === 'Escape') {
            setValue(name);
            setEditing(false);
          }
        }}
      />
    );
  }
  return (
    <strong
      data-testid="project-name"
      tabIndex={0}
      title="Double-click to rename"
      onDoubleClick={() => {
        setValue(name);
        setEditing(true);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          setValue(name);
          setEditing(true);
        }
      }}
    >
      {name}
    </strong>
  );
}

function SaveIndicator() {
  const { saveState, dirty, error } = useDesignerShallow((s) => ({
    saveState: s.saveState,
    dirty: s.changeCount !== s.savedChangeCount,
    error: s.saveError,
  }));
  const state = saveState === 'saved' && dirty ? 'dirty' : saveState;
  const text = {
    saved: 'All changes saved',
    dirty: 'Unsaved changes',
    saving: 'Saving…',
    error: 'Save failed',
    conflict: 'Conflict',
  }[state];
  return (
    <span className={`save-state ${state}`} data-testid="save-state" title={error ?? text} role="status">
      {text}
    </span>
  );
}

function WorkspaceIndicator() {
  const ws = useDesigner((s) => s.workspace);
  if (!ws) return null;
  if (ws.status === 'creating')
    return (
      <span className="ws-state creating" title={ws.step}>
        <span className="spinner" />
        <span className="ws-step">{ws.step ?? 'Creating the Dagster project'}…</span>
      </span>
    );
  if (ws.status === 'error')
    return (
      <button
        className="ws-state error"
        title={`${ws.message ?? ''}\n${ws.hint ?? ''}`}
        onClick={() => void retryWorkspace()}
      >
        Dagster project failed · Retry
      </button>
    );
  if (ws.status === 'missing')
    return (
      <button className="ws-state error" onClick={() => void retryWorkspace()}>
        No Dagster project · Create
      </button>
    );
  return (
    <span className="ws-state ready" title={ws.path}>
      Dagster project ready
    </span>
  );
}

export function TopBar() {
  const project = useDesigner((s) => s.project);
  const { canUndo, canRedo, theme } = useDesignerShallow((s) => ({
    canUndo: s.past.length > 0,
    canRedo: s.future.length > 0,
    theme: s.theme,
  }));
  return (
    <header className="topbar">
      <div className="brand" aria-label="Dagster Designer" title="Dagster Designer">
        <span className="logo">◆</span> <span className="brand-name">Dagster Designer</span>
      </div>
      <nav className="toolbar" aria-label="Project">
        <CommandButton id="project.new">New</CommandButton>
        <CommandButton id="project.open">Open</CommandButton>
        <CommandButton id="project.save">Save</CommandButton>
        <PreviewButton />
        <CommandButton id="project.check">Check</CommandButton>
        <ExportButton />
        <CommandButton id="project.push">Push</CommandButton>
        <CommandButton id="project.pull">Pull</CommandButton>
        <CommandButton id="project.run">▶ Run</CommandButton>
        <CommandButton id="project.runWith">Run…</CommandButton>
      </nav>
      {project && (
        <div className="project-title">
          <ProjectName name={project.name} />
          <SaveIndicator />
          <WorkspaceIndicator />
        </div>
      )}
      {project && <DeploymentSelector />}
      <div className="spacer" />
      <nav className="toolbar" aria-label="Edit">
        <CommandButton id="edit.undo" disabled={!canUndo}>
          ↶
        </CommandButton>
        <CommandButton id="edit.redo" disabled={!canRedo}>
          ↷
        </CommandButton>
        <CommandButton id="view.tidy">Tidy up</CommandButton>
        <CommandButton id="view.fit">Fit</CommandButton>
        <CommandButton id="view.theme">{theme === 'dark' ? '☀' : '☾'}</CommandButton>
        <CommandButton id="help.shortcuts">?</CommandButton>
      </nav>
    </header>
  );
}
