// One project file in the code editor: load, edit, save with the version it was loaded at (a concurrent change
// is a conflict to resolve, never a silent overwrite), then refresh the preview so its problems follow.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { readFile, writeFile } from '../project/file-actions';
import { previewAssets } from '../project/preview-actions';
import { ApiError, reportError } from '../project/project-actions';
import { designerStore, useDesigner } from '../store';
import { CodeEditor, editorLanguageOf, type LineProblem } from './CodeEditor';

interface Loaded {
  path: string;
  /** The text as saved on disk, and its hash (the version edits are based on). */
  saved: string;
  hash: string | null;
}

export function FileEditor({
  path,
  readOnly = false,
  readOnlyReason,
  compact = false,
}: {
  path: string;
  readOnly?: boolean;
  readOnlyReason?: string;
  compact?: boolean;
}) {
  const projectId = useDesigner((s) => s.project?.id);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [text, setText] = useState('');
  const [state, setState] = useState<'loading' | 'ready' | 'saving' | 'missing' | 'conflict' | 'error'>(
    'loading',
  );
  const [message, setMessage] = useState<string | null>(null);
  const previewProblems = useDesigner((s) => s.preview.problems);
  const problems = useMemo<LineProblem[]>(
    () =>
      previewProblems
        .filter((p) => p.file === path && p.line)
        .map((p) => ({ line: p.line!, message: p.message, severity: p.severity })),
    [previewProblems, path],
  );

  const load = useCallback(async () => {
    if (!projectId) return;
    setState('loading');
    try {
      const file = await readFile(projectId, path);
      setLoaded({ path, saved: file.content, hash: file.hash });
      setText(file.content);
      setState('ready');
      setMessage(null);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        // Not written yet (a new node before its first sync): saving creates it.
        setLoaded({ path, saved: '', hash: null });
        setText('');
        setState('missing');
      } else {
        setState('error');
        setMessage(error instanceof Error ? error.message : String(error));
      }
    }
  }, [projectId, path]);

  useEffect(() => {
    void load();
  }, [load]);

  // A file not written yet (the node's starter comes with its first sync, a moment after the node is added): look
  // again after each preview, and every 1.5 s for a minute while the user has typed nothing.
  const previewAt = useDesigner((s) => s.preview.at);
  const waiting = state === 'missing' && text === '';
  useEffect(() => {
    if (waiting && previewAt) void load();
    // Only a new preview asks again.
  }, [previewAt]);
  useEffect(() => {
    if (!waiting || !projectId) return;
    let tries = 0;
    const timer = setInterval(() => {
      if (++tries > 40) clearInterval(timer);
      readFile(projectId, path).then(
        (file) => {
          clearInterval(timer);
          setLoaded({ path, saved: file.content, hash: file.hash });
          setText((typed) => (typed === '' ? file.content : typed));
          setState('ready');
        },
        () => undefined, // still missing
      );
    }, 1500);
    return () => clearInterval(timer);
  }, [waiting, projectId, path]);

  const dirty = loaded !== null && text !== loaded.saved;

  const save = useCallback(
    async (overwrite = false) => {
      if (!projectId || !loaded || readOnly) return;
      setState('saving');
      try {
        let hash = loaded.hash;
        if (overwrite) hash = (await readFile(projectId, path).catch(() => null))?.hash ?? null;
        const written = await writeFile(projectId, path, text, hash);
        setLoaded({ path, saved: text, hash: written.hash });
        setState('ready');
        setMessage(null);
        designerStore.getState().toast('success', `Saved ${path.split('/').pop()}.`);
        // The preview loads the file as Dagster would: its problems (syntax, imports) follow the save.
        if (designerStore.getState().workspace?.status === 'ready') void previewAssets({ quiet: true });
      } catch (error) {
        if (error instanceof ApiError && error.status === 409 && error.code === 'file_changed') {
          setState('conflict');
          setMessage(error.message);
        } else if (error instanceof ApiError && error.code === 'if_match_required') {
          // Opened as a new file, but the designer (its starter) or someone else wrote it meanwhile.
          setState('conflict');
          setMessage(
            `${path.split('/').pop()} was created while you typed (the designer writes a starter file).`,
          );
        } else {
          setState('ready');
          reportError(error, `Saving ${path} failed`);
        }
      }
    },
    [projectId, loaded, path, text, readOnly],
  );

  const name = path.split('/').pop();
  return (
    <div className={`file-editor${compact ? ' compact' : ''}`}>
      <div className="file-editor-bar">
        <span className="mono small file-editor-path" title={path}>
          {compact ? name : path}
        </span>
        {dirty && (
          <span className="pill warn" aria-label="Unsaved changes">
            unsaved
          </span>
        )}
        {state === 'missing' && <span className="muted small">new file</span>}
        {readOnly && <span className="muted small">{readOnlyReason ?? 'read-only'}</span>}
        <span className="spacer" />
        {!readOnly && (
          <>
            <button disabled={!dirty || state === 'saving'} onClick={() => setText(loaded?.saved ?? '')}>
              Revert
            </button>
            <button
              className="primary"
              disabled={(!dirty && state !== 'missing') || state === 'saving'}
              onClick={() => void save()}
              title="Save (Ctrl+S)"
            >
              {state === 'saving' ? 'Saving…' : 'Save'}
            </button>
          </>
        )}
      </div>
      {state === 'conflict' && (
        <div className="error-box conflict-box" role="alert">
          {message} Your text is still here.
          <button onClick={() => void save(true)}>Overwrite with mine</button>
          <button onClick={() => void load()}>Load theirs (drop mine)</button>
        </div>
      )}
      {state === 'error' && (
        <div className="error-box" role="alert">
          {message}
        </div>
      )}
      {state !== 'error' && (
        <CodeEditor
          value={text}
          language={editorLanguageOf(path)}
          label={`Contents of ${path}`}
          readOnly={readOnly || state === 'loading'}
          onChange={setText}
          onSave={() => void save()}
          problems={dirty ? [] : problems}
          minHeight={compact ? 160 : undefined}
        />
      )}
    </div>
  );
}
