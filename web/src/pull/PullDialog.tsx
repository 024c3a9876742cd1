// Pull from Git: where from, what teammates changed since the last push or pull (their commits, the nodes added,
// removed or changed, each file's diff), a choice per conflict (mine, theirs, or the text edited), then Apply.
import type { PullConflict, PullFile } from '@designer/shared';
import { useState } from 'react';
import { Modal } from '../ui/Modal';
import { TextField } from '../ui/TextField';
import { useDesigner } from '../store';
import {
  applyPull,
  openPullDialog,
  previewPull,
  resolveConflict,
  usePull,
  type PullTarget,
} from './pull-store';
import './pull.css';

const remembered = (key: string) => window.localStorage?.getItem(`designer-git-${key}`) ?? '';

function Diff({ text }: { text: string }) {
  return (
    <pre className="code diff">
      {text.split('\n').map((line, i) => (
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
    </pre>
  );
}

function FileRow({ file }: { file: PullFile }) {
  return (
    <details className="pull-file">
      <summary>
        <span className={`git-status ${file.status}`}>{file.status}</span>{' '}
        <span className="mono">{file.path}</span>
        {file.outcome !== 'theirs' && <span className={`pull-outcome ${file.outcome}`}>{file.outcome}</span>}
      </summary>
      <Diff text={file.diff} />
    </details>
  );
}

function ConflictEditor({ conflict }: { conflict: PullConflict }) {
  const resolution = usePull((s) => s.resolutions[conflict.path]);
  const choice = resolution?.choice;
  const text =
    resolution?.choice === 'edited'
      ? resolution.text
      : (conflict.merged ?? conflict.mine ?? conflict.theirs ?? '');
  return (
    <div className="pull-conflict" aria-label={`Conflict in ${conflict.path}`}>
      <div className="pull-conflict-head">
        <span className="mono">{conflict.path}</span>
        <div className="pull-choices" role="radiogroup" aria-label={`Resolution of ${conflict.path}`}>
          {(['mine', 'theirs'] as const).map((c) => (
            <button
              key={c}
              role="radio"
              aria-checked={choice === c}
              className={choice === c ? 'primary' : undefined}
              onClick={() => resolveConflict(conflict.path, { choice: c })}
            >
              {c === 'mine'
                ? `Keep mine${conflict.mine === null && !conflict.binary ? ' (deleted)' : ''}`
                : `Take theirs${conflict.theirs === null && !conflict.binary ? ' (deleted)' : ''}`}
            </button>
          ))}
          {!conflict.binary && (
            <button
              role="radio"
              aria-checked={choice === 'edited'}
              className={choice === 'edited' ? 'primary' : undefined}
              onClick={() => resolveConflict(conflict.path, { choice: 'edited', text })}
            >
              Edit
            </button>
          )}
        </div>
      </div>
      {choice === 'edited' ? (
        <textarea
          className="code pull-edit"
          aria-label={`Edited text of ${conflict.path}`}
          value={text}
          spellCheck={false}
          onChange={(e) => resolveConflict(conflict.path, { choice: 'edited', text: e.target.value })}
        />
      ) : (
        conflict.merged !== null && <Diff text={conflict.merged} />
      )}
      {choice === 'edited' && /^(<<<<<<< |=======$|>>>>>>> )/m.test(text) && (
        <p className="muted small">
          Remove the conflict markers (&lt;&lt;&lt;, ===, &gt;&gt;&gt;) before applying.
        </p>
      )}
    </div>
  );
}

function Summary() {
  const preview = usePull((s) => s.preview)!;
  if (preview.upToDate)
    return (
      <p className="muted" role="status">
        Up to date: {preview.branch} holds nothing you do not have.
      </p>
    );
  const g = preview.graph;
  return (
    <div className="pull-summary" role="region" aria-label="Teammates' changes">
      <p>
        {preview.commits.length} commit{preview.commits.length === 1 ? '' : 's'} on {preview.branch}
        {preview.base ? ` since your last push or pull (${preview.base.slice(0, 8)})` : ''}
        {preview.fastForward ? ': you changed nothing since, so they are taken as they are.' : '.'}
      </p>
      <ul className="pull-commits">
        {preview.commits.map((c) => (
          <li key={c.id}>
            <span className="mono">{c.id.slice(0, 8)}</span> {c.subject}{' '}
            <span className="muted">— {c.author}</span>
          </li>
        ))}
      </ul>
      <ul className="pull-nodes" aria-label="Nodes">
        {g.added.map((n) => (
          <li key={`a${n.id}`} className="add">
            + {n.label} <span className="muted">added</span>
          </li>
        ))}
        {g.changed.map((n) => (
          <li key={`c${n.id}`} className="change">
            ~ {n.label} <span className="muted">{n.paths.join(', ')}</span>
          </li>
        ))}
        {g.removed.map((n) => (
          <li key={`r${n.id}`} className="del">
            − {n.label} <span className="muted">removed</span>
          </li>
        ))}
      </ul>
      <div aria-label="Changed files">
        {preview.files.map((f) => (
          <FileRow key={f.path} file={f} />
        ))}
      </div>
      {preview.conflicts.length > 0 && (
        <>
          <h3>
            {preview.conflicts.length} conflict{preview.conflicts.length === 1 ? '' : 's'}: you and your
            teammates changed the same lines
          </h3>
          {preview.conflicts.map((c) => (
            <ConflictEditor key={c.path} conflict={c} />
          ))}
        </>
      )}
    </div>
  );
}

export function PullDialog() {
  const project = useDesigner((s) => s.project)!;
  const { busy, preview, resolutions } = usePull();
  const [target, setTarget] = useState<PullTarget>({
    remote: project.git_repo ?? '',
    branch: project.git_branch || 'main',
    username: remembered('username'),
    token: '',
  });
  const field = (key: keyof PullTarget) => (value: string) => {
    setTarget((t) => ({ ...t, [key]: value }));
    usePull.setState({ preview: null, resolutions: {} });
  };
  const open = preview?.conflicts.filter((c) => !resolutions[c.path]).length ?? 0;
  return (
    <Modal title="Pull from Git" onClose={() => openPullDialog(false)} wide>
      {!target.remote.trim() && (
        <p className="muted">
          This project has no remote yet. Enter the repository your team works in (the one Push sends to),
          then “Show teammates’ changes”.
        </p>
      )}
      <div className="form grid2">
        <TextField
          wide
          caption="Remote (https, ssh or a local path)"
          label="Remote"
          value={target.remote}
          onChange={field('remote')}
          placeholder="https://github.com/acme/pipelines.git"
        />
        <TextField caption="Branch" label="Branch" value={target.branch} onChange={field('branch')} />
        <TextField
          caption="Username (optional)"
          label="Username"
          value={target.username}
          onChange={field('username')}
          placeholder="x-access-token"
          autoComplete="off"
        />
        <TextField
          wide
          caption="Token (kept in the server's memory for this session only)"
          label="Token"
          type="password"
          value={target.token}
          onChange={field('token')}
          autoComplete="off"
          placeholder="leave empty for public or ssh remotes, or to reuse this session's"
        />
      </div>
      {preview && <Summary />}
      <div className="actions">
        <button onClick={() => openPullDialog(false)}>Cancel</button>
        <button
          onClick={() => void previewPull(target)}
          disabled={!target.remote.trim() || !target.branch.trim() || busy !== null}
        >
          {busy === 'preview' ? 'Fetching…' : "Show teammates' changes"}
        </button>
        <button
          className="primary"
          onClick={() => void applyPull(target)}
          disabled={!preview || preview.upToDate || open > 0 || busy !== null}
          title={open > 0 ? `Resolve ${open} conflict${open === 1 ? '' : 's'} first` : undefined}
        >
          {busy === 'apply' ? 'Applying…' : open > 0 ? `Apply (${open} to resolve)` : 'Apply'}
        </button>
      </div>
    </Modal>
  );
}

/** Mounted once by the app: the dialog while a pull is open, with a project. */
export function PullDialogHost() {
  const open = usePull((s) => s.open);
  const hasProject = useDesigner((s) => s.project !== null);
  return open && hasProject ? <PullDialog /> : null;
}
