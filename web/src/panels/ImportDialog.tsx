// Import an existing Dagster project: from a folder on this machine, a ZIP, or a Git repository.
import { useState } from 'react';
import { TabStrip } from './TabStrip';
import { importProject, type ImportChoice } from '../project/hand-over-actions';
import { Modal } from '../ui/Modal';
import { TextField } from '../ui/TextField';
import { designerStore } from '../store';

type Kind = 'folder' | 'zip' | 'git';

/** The name a project gets when the user types none: the folder's, the ZIP's or the repository's own. */
export function suggestedName(kind: Kind, folder: string, file: File | null, remote: string): string {
  const source = kind === 'folder' ? folder : kind === 'zip' ? (file?.name ?? '') : remote;
  const last =
    source
      .trim()
      .replace(/[\\/]+$/, '')
      .split(/[\\/:]/)
      .pop() ?? '';
  return last.replace(/\.(zip|git)$/i, '').slice(0, 200);
}

export function ImportDialog() {
  const [kind, setKind] = useState<Kind>('folder');
  const [name, setName] = useState('');
  const [folder, setFolder] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [remote, setRemote] = useState('');
  const [branch, setBranch] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<string | null>(null);
  const close = () => designerStore.getState().setDialog(null);
  const projectName = name.trim() || suggestedName(kind, folder, file, remote);
  const choice = (): ImportChoice | null => {
    if (kind === 'folder') return folder.trim() ? { source: 'folder', path: folder.trim() } : null;
    if (kind === 'zip') return file ? { source: 'zip', file } : null;
    return remote.trim()
      ? {
          source: 'git',
          remote: remote.trim(),
          ...(branch.trim() ? { branch: branch.trim() } : {}),
          ...(token ? { token } : {}),
        }
      : null;
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const c = choice();
    if (!c || !projectName) return;
    setBusy(true);
    setStep(null);
    const started = Date.now();
    const ok = await importProject(projectName, c, (text) =>
      setStep(`${text}… (${Math.round((Date.now() - started) / 1000)} s)`),
    );
    setBusy(false);
    if (ok) close();
  };
  return (
    <Modal title="Import a Dagster project" onClose={() => !busy && close()} wide>
      <form className="form" onSubmit={submit}>
        <TextField
          caption="Name in the designer"
          label="Imported project name"
          value={name}
          onChange={setName}
          placeholder={projectName || 'taken from the folder, ZIP or repository when left empty'}
          maxLength={200}
        />
        <TabStrip
          tabs={[
            ['folder', 'Folder'],
            ['zip', 'ZIP file'],
            ['git', 'Git repository'],
          ]}
          active={kind}
          onSelect={setKind}
        />
        <div className="pad">
          {kind === 'folder' && (
            <TextField
              caption="Absolute path of the folder holding pyproject.toml (on the machine running the designer)"
              label="Folder path"
              value={folder}
              onChange={setFolder}
              placeholder="/home/me/pipelines/shop"
            />
          )}
          {kind === 'zip' && (
            <label className="field">
              <span>A ZIP of the project (at most 50 MiB), e.g. one exported by the designer</span>
              <input
                aria-label="ZIP file"
                type="file"
                accept=".zip,application/zip"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
            </label>
          )}
          {kind === 'git' && (
            <div className="grid2">
              <TextField
                wide
                caption="Repository URL"
                label="Repository URL"
                value={remote}
                onChange={setRemote}
                placeholder="https://github.com/acme/pipelines.git"
              />
              <TextField
                caption="Branch (default branch when empty)"
                label="Import branch"
                value={branch}
                onChange={setBranch}
              />
              <TextField
                caption="Token (memory only)"
                label="Import token"
                type="password"
                value={token}
                onChange={setToken}
                autoComplete="off"
              />
            </div>
          )}
        </div>
        <p className="muted small">
          Every component (each YAML document of a defs.yaml) becomes a node, and so does every folder or
          module of plain Python definitions; dependencies come from the real asset graph. The files stay as
          they are.
        </p>
        {busy && (
          <div className="import-step" role="status" aria-label="Import progress">
            <span className="spinner" /> {step ?? 'Starting the import…'}
          </div>
        )}
        <div className="actions">
          <button type="button" onClick={close} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !projectName || !choice()}>
            {busy ? (
              <>
                <span className="spinner" /> Importing…
              </>
            ) : (
              'Import'
            )}
          </button>
        </div>
      </form>
    </Modal>
  );
}
