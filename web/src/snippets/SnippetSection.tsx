// The palette's snippets (issue 18): each saved snippet with Insert / Export / Delete, "Save selection" and
// "Import…", and the dialog that names a new snippet.
import { labelProblem } from '@designer/shared';
import { useEffect, useRef, useState } from 'react';
import { Modal } from '../ui/Modal';
import { TextField } from '../ui/TextField';
import { useDesigner } from '../store';
import {
  closeSaveSnippet,
  deleteSnippet,
  exportSnippet,
  importSnippetFile,
  insertSnippet,
  loadSnippets,
  openSaveSnippet,
  saveSelectionAsSnippet,
  selectedForSnippet,
  useSnippets,
} from './snippet-store';

export function SnippetSection({ position }: { position: () => { x: number; y: number } }) {
  const snippets = useSnippets((s) => s.snippets);
  const error = useSnippets((s) => s.error);
  const busy = useSnippets((s) => s.busy);
  const saving = useSnippets((s) => s.saving);
  const projectId = useDesigner((s) => s.project?.id);
  const [confirm, setConfirm] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    void loadSnippets();
  }, [projectId]);
  return (
    <section className="snippet-section" aria-label="Snippets">
      <div className="palette-group-title snippet-title">
        snippets <span className="count">{snippets?.length ?? 0}</span>
        <span className="snippet-actions">
          <button
            className="link"
            onClick={openSaveSnippet}
            title="Save the selected nodes as a snippet (Alt+S)"
          >
            Save selection
          </button>
          <button
            className="link"
            onClick={() => fileInput.current?.click()}
            title="Import a .snippet.json file"
            aria-label="Import a snippet…"
          >
            Import…
          </button>
        </span>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Snippet file to import"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importSnippetFile(file);
          }}
        />
      </div>
      {error && <div className="muted small pad">{error}</div>}
      {snippets?.length === 0 && (
        <div className="muted small snippet-empty">
          Select nodes, then “Save selection” to reuse them here.
        </div>
      )}
      <ul className="snippet-list">
        {snippets?.map((s) => (
          <li
            key={s.name}
            className={`snippet-item${s.error ? ' broken' : ''}`}
            data-testid={`snippet-${s.name}`}
            title={s.error ?? s.description ?? ''}
          >
            <span className="snippet-text">
              <span className="snippet-name">{s.name}</span>
              <span className="snippet-summary">
                {s.error
                  ? `unreadable: ${s.error}`
                  : `${s.nodes.map((n) => n.label).join(', ')}${s.files.length ? ` · ${s.files.length} files` : ''}`}
              </span>
            </span>
            {confirm === s.name ? (
              <span className="snippet-buttons">
                <button
                  className="danger small"
                  onClick={() => void deleteSnippet(s.name).then(() => setConfirm(null))}
                >
                  Delete
                </button>
                <button className="small" onClick={() => setConfirm(null)}>
                  Keep
                </button>
              </span>
            ) : (
              <span className="snippet-buttons">
                <button
                  className="small"
                  disabled={Boolean(s.error) || busy !== null || !projectId}
                  onClick={() => void insertSnippet(s.name, position())}
                  aria-label={`Insert ${s.name}`}
                >
                  {busy === s.name ? '…' : 'Insert'}
                </button>
                <button
                  className="icon"
                  disabled={Boolean(s.error)}
                  onClick={() => void exportSnippet(s.name)}
                  aria-label={`Export ${s.name}`}
                  title="Export as a file"
                >
                  ⇩
                </button>
                <button
                  className="icon"
                  onClick={() => setConfirm(s.name)}
                  aria-label={`Delete ${s.name}`}
                  title="Delete"
                >
                  ✕
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {saving && <SaveSnippetDialog />}
    </section>
  );
}

function SaveSnippetDialog() {
  const count = selectedForSnippet().length;
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [exists, setExists] = useState(false);
  const [busy, setBusy] = useState(false);
  const problem = name ? labelProblem(name) : null;
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!name || problem) return;
    setBusy(true);
    const result = await saveSelectionAsSnippet(name, description, exists);
    setBusy(false);
    setExists(result === 'exists');
  };
  return (
    <Modal title="Save selection as snippet" onClose={closeSaveSnippet}>
      <form onSubmit={submit} className="form">
        <p className="muted small">
          {count} selected node{count === 1 ? '' : 's'}, the edges between them and the files in their folders
          (scripts, SQL) are kept in the data folder, for any project.
        </p>
        <TextField
          caption="Name"
          label="Snippet name"
          value={name}
          onChange={(v) => {
            setName(v);
            setExists(false);
          }}
          maxLength={64}
          placeholder="e.g. ingest_and_report"
          required
        />
        {problem && <p className="error small">The name {problem}.</p>}
        {exists && (
          <p className="error small">A snippet named {name} exists already: save again to replace it.</p>
        )}
        <label className="field">
          <span>Description</span>
          <input
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            maxLength={1000}
            aria-label="Snippet description"
          />
        </label>
        <div className="actions">
          <button type="button" onClick={closeSaveSnippet}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !name || Boolean(problem)}>
            {busy ? 'Saving…' : exists ? 'Replace snippet' : 'Save snippet'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
