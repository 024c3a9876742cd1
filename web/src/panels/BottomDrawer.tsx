// The bottom drawer. Problems: what is wrong with the graph and each component's attributes;
// clicking one selects its component.
import { validateGraph, type Problem } from '@designer/shared';
import { useMemo, useState } from 'react';
import { designerStore, useDesigner, useDesignerShallow } from '../store';
import { AssetLineage } from './AssetLineage';
import { EnvTab } from './EnvTab';
import { FilesTab } from './FilesTab';
import { RunsTab } from './RunsTab';
import { Segmented } from './Segmented';
import { focusNode } from './focus';
import { SearchInput } from './SearchInput';

export function useProblems(): Problem[] {
  const { nodes, edges, formProblems, previewProblems } = useDesignerShallow((s) => ({
    nodes: s.nodes,
    edges: s.edges,
    formProblems: s.formProblems,
    previewProblems: s.preview.problems,
  }));
  return useMemo(() => {
    const ids = new Set(nodes.map((n) => n.id));
    const graphIssues: Problem[] = validateGraph({
      nodes: nodes.map((n) => ({ id: n.id, type: 'component', position: n.position, data: n.data })),
      edges,
    }).map((i) => ({
      severity: 'error',
      message: i.message,
      nodeId: i.nodeId,
    }));
    const attributeIssues = Object.entries(formProblems).flatMap(([id, list]) => (ids.has(id) ? list : []));
    const fromDagster = previewProblems.filter((p) => !p.nodeId || ids.has(p.nodeId));
    return [...graphIssues, ...attributeIssues, ...fromDagster];
  }, [nodes, edges, formProblems, previewProblems]);
}

function ProblemsTab({ problems }: { problems: Problem[] }) {
  if (problems.length === 0)
    return <div className="muted pad">No problems. Every component's attributes match its schema.</div>;
  return (
    <ul className="problems" aria-label="Problems">
      {problems.map((p, i) => (
        <li key={i} className={p.severity}>
          <button onClick={() => p.nodeId && focusNode(p.nodeId, p.field)} disabled={!p.nodeId}>
            <span className={`sev ${p.severity}`}>{p.severity}</span>
            <span>{p.message}</span>
            {p.file && (
              <span className="muted small">
                {p.file}
                {p.line ? `:${p.line}` : ''}
              </span>
            )}
          </button>
          {p.file && (
            <button className="link small" onClick={() => designerStore.getState().setOpenFile(p.file!)}>
              open file
            </button>
          )}
          {p.hint && <div className="muted small hint">{p.hint}</div>}
          {/Environment panel/.test(p.hint ?? '') && (
            <button className="link small" onClick={() => designerStore.getState().setDrawer('env', true)}>
              open the Environment panel
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

function AssetsTab() {
  const preview = useDesigner((s) => s.preview);
  const labels = useDesigner((s) => s.nodes);
  const [query, setQuery] = useState('');
  const [view, setView] = useState<'table' | 'lineage'>('table');
  const labelOf = useMemo(() => new Map(labels.map((n) => [n.id, n.data.label])), [labels]);
  const shown = useMemo(() => {
    const q = query.toLowerCase();
    return preview.assets.filter((a) =>
      `${a.key} ${a.group_name ?? ''} ${(a.kinds ?? []).join(' ')} ${a.description ?? ''}`
        .toLowerCase()
        .includes(q),
    );
  }, [preview.assets, query]);
  if (preview.status === 'idle')
    return (
      <div className="muted pad">
        Press Preview to save, write the Dagster project and load its real definitions.
      </div>
    );
  if (preview.status === 'running' && preview.assets.length === 0)
    return (
      <div className="muted pad">
        <span className="spinner" /> Syncing the project and loading its definitions…
      </div>
    );
  if (preview.status === 'error' && preview.assets.length === 0)
    return <div className="error-box pad">{preview.error}</div>;
  return (
    <div className="assets-tab">
      <div className="assets-toolbar">
        <SearchInput label="Search assets" value={query} onChange={setQuery} />
        <span className="muted small" data-testid="asset-count">
          {preview.assets.length} asset{preview.assets.length === 1 ? '' : 's'}
          {preview.durationMs !== undefined &&
            ` · ${(preview.durationMs / 1000).toFixed(1)} s${preview.warm ? ' (warm)' : ''}`}
          {preview.status === 'running' && (
            <>
              {' '}
              · <span className="spinner" /> refreshing
            </>
          )}
        </span>
        <div className="spacer" />
        <Segmented
          label="Asset view"
          options={[
            ['table', 'Table'],
            ['lineage', 'Lineage'],
          ]}
          value={view}
          onChange={setView}
        />
      </div>
      {view === 'lineage' ? (
        <AssetLineage />
      ) : (
        <table className="assets">
          <thead>
            <tr>
              <th>Asset key</th>
              <th>Component</th>
              <th>Group</th>
              <th>Kinds</th>
              <th>Depends on</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((a) => (
              <tr key={a.key} onClick={() => a.nodeId && focusNode(a.nodeId)} title={a.description}>
                <td className="mono">{a.key}</td>
                <td>{a.nodeId ? (labelOf.get(a.nodeId) ?? '—') : '—'}</td>
                <td>{a.group_name ?? ''}</td>
                <td>{(a.kinds ?? []).join(', ')}</td>
                <td className="mono small">{a.deps.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function BottomDrawer() {
  const { open, tab } = useDesignerShallow((s) => ({ open: s.drawerOpen, tab: s.drawerTab }));
  const problems = useProblems();
  const assetCount = useDesigner((s) => s.preview.assets.length);
  const errors = problems.filter((p) => p.severity === 'error').length;
  return (
    <section className={`drawer${open ? ' open' : ''}`} aria-label="Bottom panel">
      <div className="tabs drawer-tabs" role="tablist">
        {(
          [
            [
              'problems',
              'Problems',
              problems.length > 0 && (
                <span className={`count ${errors ? 'error' : 'warning'}`}>{problems.length}</span>
              ),
            ],
            ['assets', 'Assets', assetCount > 0 && <span className="count">{assetCount}</span>],
            ['files', 'Files', null],
            ['env', 'Environment', null],
            ['runs', 'Runs', null],
          ] as const
        ).map(([id, label, badge]) => (
          <button
            key={id}
            role="tab"
            aria-selected={tab === id}
            className={tab === id ? 'active' : ''}
            onClick={() => designerStore.getState().setDrawer(id, !(open && tab === id))}
          >
            {label} {badge}
          </button>
        ))}
        <div className="spacer" />
        <button
          className="icon"
          aria-label={open ? 'Collapse panel' : 'Expand panel'}
          onClick={() => designerStore.getState().toggleDrawer()}
        >
          {open ? '▾' : '▴'}
        </button>
      </div>
      {open && (
        <div className="drawer-body">
          {tab === 'problems' && <ProblemsTab problems={problems} />}
          {tab === 'assets' && <AssetsTab />}
          {tab === 'files' && <FilesTab />}
          {tab === 'env' && <EnvTab />}
          {tab === 'runs' && <RunsTab />}
        </div>
      )}
    </section>
  );
}

export function Toasts() {
  const toasts = useDesigner((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          <div>
            <div>{t.message}</div>
            {t.hint && <div className="small muted">{t.hint}</div>}
          </div>
          <button
            className="icon"
            aria-label="Dismiss"
            onClick={() => designerStore.getState().dismissToast(t.id)}
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
