// Push to Git: where, as whom, what changes (unified diff), then commit and push. The token goes to the
// server for this session only; the project file keeps the remote and branch, never the token.
import { useState } from 'react';
import { api, type GitChange } from '../api/client';
import { reportError, saveProject } from '../project/project-actions';
import { Modal } from './Modal';
import { designerStore, useDesigner } from '../store';

const remembered = (key: string) => window.localStorage?.getItem(`designer-git-${key}`) ?? '';

function DiffView({ files, diff, truncated }: { files: GitChange[]; diff: string; truncated: boolean }) {
  if (files.length === 0)
    return <p className="muted">Nothing to push: the branch already holds this project.</p>;
  return (
    <div className="git-diff">
      <ul className="git-files" aria-label="Changed files">
        {files.map((f) => (
          <li key={f.path}>
            <span className={`git-status ${f.status}`}>{f.status}</span>{' '}
            <span className="mono">{f.path}</span>
          </li>
        ))}
      </ul>
      <pre className="code diff" aria-label="Unified diff">
        {diff.split('\n').map((line, i) => (
          <div
            key={i}
            className={
              line.startsWith('+') && !line.startsWith('+++')
                ? 'add'
                : line.startsWith('-') && !line.startsWith('---')
                  ? 'del'
                  : line.startsWith('@@')
                    ? 'hunk'
                    : undefined
            }
          >
            {line || ' '}
          </div>
        ))}
        {truncated && <div className="muted">… diff truncated</div>}
      </pre>
    </div>
  );
}

export function GitDialog() {
  const project = useDesigner((s) => s.project)!;
  const [remote, setRemote] = useState(project.git_repo ?? '');
  const [branch, setBranch] = useState(project.git_branch || 'main');
  const [username, setUsername] = useState(remembered('username'));
  const [token, setToken] = useState('');
  const [authorName, setAuthorName] = useState(remembered('author-name'));
  const [authorEmail, setAuthorEmail] = useState(remembered('author-email'));
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState<null | 'diff' | 'push'>(null);
  const [result, setResult] = useState<{
    files: GitChange[];
    diff: string;
    truncated: boolean;
    base: string | null;
  } | null>(null);
  const close = () => designerStore.getState().setDialog(null);
  const target = () => ({
    remote: remote.trim(),
    branch: branch.trim(),
    ...(token ? { token } : {}),
    ...(username.trim() ? { username: username.trim() } : {}),
  });

  const showDiff = async () => {
    setBusy('diff');
    try {
      await saveProject();
      setResult(await api.gitDiff(project.id, target()));
    } catch (error) {
      reportError(error, 'Diff failed');
    } finally {
      setBusy(null);
    }
  };
  const push = async () => {
    setBusy('push');
    try {
      const pushed = await api.gitPush(project.id, {
        ...target(),
        ...(message.trim() ? { message: message.trim() } : {}),
        ...(authorName.trim() ? { authorName: authorName.trim() } : {}),
        ...(authorEmail.trim() ? { authorEmail: authorEmail.trim() } : {}),
      });
      window.localStorage?.setItem('designer-git-username', username.trim());
      window.localStorage?.setItem('designer-git-author-name', authorName.trim());
      window.localStorage?.setItem('designer-git-author-email', authorEmail.trim());
      designerStore.getState().setGitSettings(remote.trim(), branch.trim());
      designerStore
        .getState()
        .toast(
          'success',
          pushed.commit
            ? `Pushed ${pushed.files.length} file${pushed.files.length === 1 ? '' : 's'} to ${pushed.branch}${pushed.created ? ' (new branch)' : ''}: ${pushed.commit.slice(0, 8)}.`
            : 'Nothing to push: the branch already holds this project.',
        );
      close();
    } catch (error) {
      reportError(error, 'Push failed');
      setResult(null);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Modal title="Push to Git" onClose={close} wide>
      <div className="form grid2">
        <label className="field wide-field">
          <span>Remote (https, ssh or a local path)</span>
          <input
            aria-label="Remote"
            value={remote}
            onChange={(e) => {
              setRemote(e.target.value);
              setResult(null);
            }}
            placeholder="https://github.com/acme/pipelines.git"
          />
        </label>
        <label className="field">
          <span>Branch (created if missing)</span>
          <input
            aria-label="Branch"
            value={branch}
            onChange={(e) => {
              setBranch(e.target.value);
              setResult(null);
            }}
          />
        </label>
        <label className="field">
          <span>Username (optional)</span>
          <input
            aria-label="Username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            placeholder="x-access-token"
            autoComplete="off"
          />
        </label>
        <label className="field wide-field">
          <span>Token (kept in the server's memory for this session only)</span>
          <input
            aria-label="Token"
            type="password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            autoComplete="off"
            placeholder="leave empty for public or ssh remotes, or to reuse this session's"
          />
        </label>
        <label className="field">
          <span>Author name</span>
          <input
            aria-label="Author name"
            value={authorName}
            onChange={(e) => setAuthorName(e.target.value)}
            placeholder="Dagster Designer"
          />
        </label>
        <label className="field">
          <span>Author email</span>
          <input
            aria-label="Author email"
            value={authorEmail}
            onChange={(e) => setAuthorEmail(e.target.value)}
            placeholder="designer@localhost"
          />
        </label>
        <label className="field wide-field">
          <span>Commit message (generated from the changes when empty)</span>
          <input aria-label="Commit message" value={message} onChange={(e) => setMessage(e.target.value)} />
        </label>
      </div>
      {result && <DiffView {...result} />}
      <div className="actions">
        <button onClick={close}>Cancel</button>
        <button onClick={() => void showDiff()} disabled={!remote.trim() || !branch.trim() || busy !== null}>
          {busy === 'diff' ? 'Comparing…' : 'Show changes'}
        </button>
        <button
          className="primary"
          onClick={() => void push()}
          disabled={!result || result.files.length === 0 || busy !== null}
        >
          {busy === 'push' ? 'Pushing…' : 'Commit and push'}
        </button>
      </div>
    </Modal>
  );
}
