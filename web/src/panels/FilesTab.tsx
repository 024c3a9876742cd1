// The generated Dagster project, file by file, read-only with syntax highlighting.
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import { useDesigner } from '../store';
import { languageOf, tokenizeLine } from './highlight';

export function FilesTab() {
  const projectId = useDesigner((s) => s.project?.id);
  const ready = useDesigner((s) => s.workspace?.status === 'ready');
  const lastSync = useDesigner((s) => `${s.savedChangeCount}|${s.preview.at ?? ''}`);
  const [files, setFiles] = useState<Array<{ path: string; size: number }> | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [content, setContent] = useState<{ path: string; text: string } | { error: string } | null>(null);

  useEffect(() => {
    if (!projectId || !ready) return;
    let live = true;
    // Saves sync in the background about a second later: list again after that.
    const timer = setTimeout(() => {
      api.listFiles(projectId).then(
        (list) => live && setFiles(list),
        (e: Error) => live && setContent({ error: e.message }),
      );
    }, 1500);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [projectId, ready, lastSync]);

  useEffect(() => {
    if (!projectId || !selected) return;
    let live = true;
    api.readFile(projectId, selected).then(
      (f) => live && setContent({ path: f.path, text: f.content }),
      (e: Error) => live && setContent({ error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [projectId, selected, files]);

  const lines = useMemo(
    () =>
      content && 'text' in content
        ? content.text.split('\n').map((l) => tokenizeLine(l, languageOf(content.path)))
        : [],
    [content],
  );

  if (!ready) return <div className="muted pad">The files appear once the Dagster project is ready.</div>;
  if (!files)
    return (
      <div className="muted pad">
        <span className="spinner" /> Listing the project's files…
      </div>
    );
  return (
    <div className="files-tab">
      <ul className="file-list" aria-label="Project files">
        {files.map((f) => (
          <li key={f.path}>
            <button
              className={selected === f.path ? 'active' : ''}
              onClick={() => setSelected(f.path)}
              title={`${f.size} bytes`}
              style={{ paddingLeft: 8 + 10 * (f.path.split('/').length - 1) }}
            >
              {f.path.split('/').pop()}
              <span className="muted small">
                {' '}
                {f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="file-view">
        {!content && (
          <div className="muted pad">
            Pick a file. This view is read-only: the designer writes these files from the canvas.
          </div>
        )}
        {content && 'error' in content && <div className="error-box pad">{content.error}</div>}
        {content && 'text' in content && (
          <pre className="code" aria-label={`Contents of ${content.path}`}>
            {lines.map((tokens, i) => (
              <div key={i} className="code-line">
                <span className="line-no">{i + 1}</span>
                {tokens.map((t, j) => (
                  <span key={j} className={t.kind ? `tok-${t.kind}` : undefined}>
                    {t.text}
                  </span>
                ))}
              </div>
            ))}
          </pre>
        )}
      </div>
    </div>
  );
}
