// The History tab: every save of the project (bursts squashed), newest first, with its time and what changed.
// Picking an entry shows what it changed (Shift+click a second to compare two): drawn on the canvas and listed
// here with the file diffs. "Restore…" makes an entry the current version as a new save, after a confirmation.
import type { HistoryDiff, HistoryEntry, HistoryFileDiff } from '@designer/shared';
import { useEffect, useRef } from 'react';
import { centreOn } from '../find/find-store';
import {
  askRestore,
  clearDiff,
  formatTime,
  loadHistory,
  pickEntry,
  restoreEntry,
  useHistory,
} from '../history/history-store';
import { useDesigner } from '../store';

const KIND_WORDS: Record<HistoryEntry['kind'], string> = {
  save: 'save',
  files: 'file edit',
  restore: 'restore',
  'before-restore': 'kept before a restore',
};

export function HistoryTab() {
  const version = useDesigner((s) => s.project?.version);
  const { entries, total, loading, error, picked, diff, diffLoading, confirming } = useHistory((s) => s);
  const list = useRef<HTMLOListElement>(null);
  const newest = entries[0]?.commit;
  useEffect(() => {
    list.current?.scrollTo({ top: 0 }); // a new version (a save, a restore) shows at the top
  }, [newest]);
  useEffect(() => {
    // Saves come in bursts: list again once they pause (the first time at once).
    const timer = setTimeout(() => void loadHistory(), useHistory.getState().entries.length ? 2500 : 0);
    return () => clearTimeout(timer);
  }, [version]);

  return (
    <div className="history-tab">
      <div className="history-list" aria-label="History">
        <div className="history-head">
          <span className="muted small">
            {total} version{total === 1 ? '' : 's'} · click one to see what it changed, Shift+click a second
            to compare
          </span>
          <button className="link small" onClick={() => void loadHistory()} disabled={loading}>
            {loading ? 'loading…' : 'refresh'}
          </button>
          {picked.length > 0 && (
            <button className="link small" onClick={() => clearDiff()}>
              clear marks
            </button>
          )}
        </div>
        {error && <div className="error small pad">{error}</div>}
        {!loading && entries.length === 0 && !error && (
          <div className="muted pad">No version yet: the first save starts the history.</div>
        )}
        <ol ref={list}>
          {entries.map((e, i) => (
            <li
              key={e.commit}
              className={`history-entry${picked.includes(e.commit) ? ' picked' : ''}`}
              data-testid="history-entry"
            >
              <button
                className="history-pick"
                aria-pressed={picked.includes(e.commit)}
                onClick={(event) =>
                  void pickEntry(e.commit, event.shiftKey || event.metaKey || event.ctrlKey)
                }
              >
                <span className="history-time">{formatTime(e.at)}</span>
                <span className="history-summary">{e.summary}</span>
                <span className="muted small">
                  v{e.version}
                  {e.saves > 1 ? ` · ${e.saves} saves` : ''}
                  {e.kind !== 'save' ? ` · ${KIND_WORDS[e.kind]}` : ''}
                  {i === 0 ? ' · current' : ''}
                </span>
              </button>
              {i > 0 &&
                (confirming === e.commit ? (
                  <span className="history-confirm" role="group" aria-label="Confirm restore">
                    <span className="small">
                      Make this the current version? It is saved as a new version; Ctrl+Z undoes it.
                    </span>
                    <button className="primary small" onClick={() => void restoreEntry(e.commit)}>
                      Restore
                    </button>
                    <button className="small" onClick={() => askRestore(null)}>
                      Cancel
                    </button>
                  </span>
                ) : (
                  <button className="small" onClick={() => askRestore(e.commit)}>
                    Restore…
                  </button>
                ))}
            </li>
          ))}
        </ol>
        {entries.length < total && (
          <button className="link small pad" onClick={() => void loadHistory(true)} disabled={loading}>
            older versions…
          </button>
        )}
      </div>
      <div className="history-diff" aria-label="Changes">
        {diffLoading && <div className="muted pad">Comparing…</div>}
        {!diffLoading && diff && <DiffView diff={diff} />}
        {!diffLoading && !diff && (
          <div className="muted pad">
            Pick a version. Added nodes are drawn green on the canvas, changed ones amber, removed ones as red
            ghosts where they stood.
          </div>
        )}
      </div>
    </div>
  );
}

function DiffView({ diff }: { diff: HistoryDiff }) {
  const { nodes, edges } = diff.graph;
  return (
    <div className="history-diff-body" data-testid="history-diff">
      <div className="small">
        <strong>{formatTime(diff.from.at)}</strong> → <strong>{formatTime(diff.to.at)}</strong>
        <div>{diff.summary}</div>
      </div>
      <ul className="diff-list">
        {nodes.added.map((n) => (
          <li key={`a${n.id}`} className="diff-item added">
            <button className="link" onClick={() => centreOn(n.id)}>
              + {n.label}
            </button>
          </li>
        ))}
        {nodes.removed.map((n) => (
          <li key={`r${n.id}`} className="diff-item removed">
            − {n.label}
          </li>
        ))}
        {nodes.changed.map((n) => (
          <li key={`c${n.id}`} className="diff-item changed">
            <button className="link" onClick={() => centreOn(n.id)}>
              ~ {n.previousLabel ? `${n.previousLabel} → ${n.label}` : n.label}
            </button>{' '}
            <span className="muted small mono">{n.paths.join(', ')}</span>
          </li>
        ))}
        {edges.added.map((e) => (
          <li key={`ea${e.source}-${e.target}`} className="diff-item added">
            + edge {e.label}
          </li>
        ))}
        {edges.removed.map((e) => (
          <li key={`er${e.source}-${e.target}`} className="diff-item removed">
            − edge {e.label}
          </li>
        ))}
      </ul>
      {diff.files.length > 0 && <h4 className="small">Files</h4>}
      {diff.files.map((f) => (
        <FileDiff key={f.path} file={f} />
      ))}
    </div>
  );
}

function FileDiff({ file }: { file: HistoryFileDiff }) {
  const lines = file.diff
    .split('\n')
    .filter((l) => !/^(diff --git|index |--- |\+\+\+ |new file mode|deleted file mode)/.test(l));
  return (
    <details className="file-diff" open={lines.length < 80}>
      <summary className="mono small">
        {file.status === 'added' ? '+' : file.status === 'deleted' ? '−' : '~'} {file.path}
      </summary>
      <pre className="mono small" aria-label={`Diff of ${file.path}`}>
        {lines.map((l, i) => (
          <div
            key={i}
            className={
              l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : l.startsWith('@@') ? 'hunk' : ''
            }
          >
            {l || ' '}
          </div>
        ))}
      </pre>
    </details>
  );
}
