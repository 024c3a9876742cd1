// Push to Git: where, as whom, what changes (unified diff), then commit and push. The token goes to the
// server for this session only; the project file keeps the remote and branch, never the token.
import { useState } from 'react';
import type { GitChange } from '@designer/shared';
import { gitDiff, gitPush } from '../project/hand-over-actions';
import { reportError } from '../project/project-actions';
import { selectedDeployment } from '../deployments/deployment-store';
import { Modal } from '../ui/Modal';
import { TextField } from '../ui/TextField';
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
      setResult(await gitDiff(project.id, target()));
    } catch (error) {
      reportError(error, 'Diff failed');
    } finally {
      setBusy(null);
    }
  };
  const push = async () => {
    setBusy('push');
    try {
      const pushed = await gitPush(project.id, {
        ...target(),
        ...(message.trim() ? { message: message.trim() } : {}),
        ...(authorName.trim() ? { authorName: authorName.trim() } : {}),
        ...(authorEmail.trim() ? { authorEmail: authorEmail.trim() } : {}),
      });
      window.localStorage?.setItem('designer-git-username', username.trim());
      window.localStorage?.setItem('designer-git-author-name', authorName.trim());
      window.localStorage?.setItem('designer-git-author-email', authorEmail.trim());
      designerStore.getState().setGitSettings(remote.trim(), branch.trim());
      designerStore.getState().toast(
        'success',
        pushed.commit
          ? `Pushed ${pushed.files.length} file${pushed.files.length === 1 ? '' : 's'} to ${pushed.branch}${pushed.created ? ' (new branch)' : ''}: ${pushed.commit.slice(0, 8)}.`
          : 'Nothing to push: the branch already holds this project.',
        // After a push, the picked deployment loads the new code once its location is reloaded.
        pushed.commit && selectedDeployment()
          ? `Then ⟳ Reload deployment (top bar) so ${selectedDeployment()!.name} loads it.`
          : undefined,
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
        <TextField
          wide
          caption="Remote (https, ssh or a local path)"
          label="Remote"
          value={remote}
          onChange={(value) => {
            setRemote(value);
            setResult(null);
          }}
          placeholder="https://github.com/acme/pipelines.git"
        />
        <TextField
          caption="Branch (created if missing)"
          label="Branch"
          value={branch}
          onChange={(value) => {
            setBranch(value);
            setResult(null);
          }}
        />
        <TextField
          caption="Username (optional)"
          label="Username"
          value={username}
          onChange={setUsername}
          placeholder="x-access-token"
          autoComplete="off"
        />
        <TextField
          wide
          caption="Token (kept in the server's memory for this session only)"
          label="Token"
          type="password"
          value={token}
          onChange={setToken}
          autoComplete="off"
          placeholder="leave empty for public or ssh remotes, or to reuse this session's"
        />
        <TextField
          caption="Author name"
          label="Author name"
          value={authorName}
          onChange={setAuthorName}
          placeholder="Dagster Designer"
        />
        <TextField
          caption="Author email"
          label="Author email"
          value={authorEmail}
          onChange={setAuthorEmail}
          placeholder="designer@localhost"
        />
        <TextField
          wide
          caption="Commit message (generated from the changes when empty)"
          label="Commit message"
          value={message}
          onChange={setMessage}
        />
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
