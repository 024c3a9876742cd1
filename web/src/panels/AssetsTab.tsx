// The Assets tab: everything the last preview found, as Dagster sees it. Assets with their checks under them,
// the lineage drawing, and views of jobs, schedules, sensors and resources, each row linked to its node.
import type { AssetCheck } from '@designer/shared';
import { Fragment, useMemo, useState } from 'react';
import { useDesigner } from '../store';
import { AssetLineage } from './AssetLineage';
import { focusNode } from './focus';
import { SearchInput } from './SearchInput';
import { Segmented } from './Segmented';
import { CheckResultMark, CheckResultText } from '../checks/CheckResultMark';
import { AssetPartitionsRow } from './AssetPartitionsRow';
import { DeploymentAssetsBlock } from '../deployments/DeploymentAssetsBlock';

type View = 'table' | 'lineage' | 'jobs' | 'schedules' | 'sensors' | 'resources';
const EMPTY: never[] = [];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function NodeCell({ nodeId, labelOf }: { nodeId?: string; labelOf: Map<string, string> }) {
  return <td>{nodeId ? (labelOf.get(nodeId) ?? '—') : '—'}</td>;
}

/** A table of one kind of definition; clicking a row selects the node that defines it. */
function DefinitionTable<T extends { nodeId?: string }>({
  rows,
  columns,
  labelOf,
  empty,
  rowKey,
}: {
  rows: T[];
  columns: Array<[string, (row: T) => React.ReactNode]>;
  labelOf: Map<string, string>;
  empty: string;
  rowKey: (row: T) => string;
}) {
  if (rows.length === 0) return <div className="muted pad">{empty}</div>;
  return (
    <table className="assets">
      <thead>
        <tr>
          {columns.map(([title]) => (
            <th key={title}>{title}</th>
          ))}
          <th>Defined in</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} onClick={() => row.nodeId && focusNode(row.nodeId)}>
            {columns.map(([title, cell]) => (
              <td key={title}>{cell(row)}</td>
            ))}
            <NodeCell nodeId={row.nodeId} labelOf={labelOf} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AssetsTab() {
  const preview = useDesigner((s) => s.preview);
  const nodes = useDesigner((s) => s.nodes);
  const [query, setQuery] = useState('');
  const [view, setView] = useState<View>('table');
  const labelOf = useMemo(() => new Map(nodes.map((n) => [n.id, n.data.label])), [nodes]);
  const defs = preview.definitions;
  const checks = defs?.checks ?? EMPTY;
  const checksOf = useMemo(() => {
    const byAsset = new Map<string, AssetCheck[]>();
    for (const c of checks) byAsset.set(c.asset, [...(byAsset.get(c.asset) ?? []), c]);
    return byAsset;
  }, [checks]);
  const shown = useMemo(() => {
    const q = query.toLowerCase();
    return preview.assets.filter((a) =>
      `${a.key} ${a.group_name ?? ''} ${(a.kinds ?? []).join(' ')} ${a.description ?? ''} ${(checksOf.get(a.key) ?? []).map((c) => c.name).join(' ')}`
        .toLowerCase()
        .includes(q),
    );
  }, [preview.assets, query, checksOf]);
  const noPreview =
    preview.status === 'idle' ? (
      <div className="muted pad">
        Press Preview to save, write the Dagster project and load its real definitions.
      </div>
    ) : preview.status === 'running' && preview.assets.length === 0 ? (
      <div className="muted pad">
        <span className="spinner" /> Syncing the project and loading its definitions…
      </div>
    ) : preview.status === 'error' && preview.assets.length === 0 ? (
      <div className="error-box pad">{preview.error}</div>
    ) : null;
  // A picked deployment's state needs no local preview.
  if (noPreview)
    return (
      <>
        <DeploymentAssetsBlock />
        {noPreview}
      </>
    );
  const counts = [
    plural(preview.assets.length, 'asset'),
    plural(checks.length, 'check'),
    plural(defs?.jobs.length ?? 0, 'job'),
    plural(defs?.schedules.length ?? 0, 'schedule'),
    plural(defs?.sensors.length ?? 0, 'sensor'),
    plural(defs?.resources.length ?? 0, 'resource'),
  ].join(' · ');
  return (
    <div className="assets-tab">
      <div className="assets-toolbar">
        {(view === 'table' || view === 'lineage') && (
          <SearchInput label="Search assets" value={query} onChange={setQuery} />
        )}
        <span className="muted small" data-testid="asset-count">
          {counts}
          {preview.durationMs !== undefined &&
            ` · ${(preview.durationMs / 1000).toFixed(1)} s${preview.warm ? ' (warm)' : ''}`}
          {preview.partial !== undefined && (
            <>
              {' '}
              ·{' '}
              <span
                className="sev warning"
                data-testid="preview-partial"
                title="The whole project did not load: these are the definitions of the other nodes; the failing ones are in Problems"
              >
                partial preview: {plural(preview.partial, 'node')} failed to load
              </span>
            </>
          )}
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
            ['jobs', 'Jobs'],
            ['schedules', 'Schedules'],
            ['sensors', 'Sensors'],
            ['resources', 'Resources'],
          ]}
          value={view}
          onChange={setView}
        />
      </div>
      {view === 'table' && <DeploymentAssetsBlock />}
      {view === 'lineage' && <AssetLineage />}
      {view === 'table' && (
        <table className="assets" data-testid="assets-table">
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
              <Fragment key={a.key}>
                <tr onClick={() => a.nodeId && focusNode(a.nodeId)} title={a.description}>
                  <td className="mono">{a.key}</td>
                  <NodeCell nodeId={a.nodeId} labelOf={labelOf} />
                  <td>{a.group_name ?? ''}</td>
                  <td>{(a.kinds ?? []).join(', ')}</td>
                  <td className="mono small">{a.deps.join(', ')}</td>
                </tr>
                <AssetPartitionsRow asset={a} columns={5} />
                {(checksOf.get(a.key) ?? []).map((c) => (
                  <tr
                    key={c.key}
                    className="asset-check-row"
                    data-testid={`check-${c.key}`}
                    onClick={() => (c.nodeId ?? a.nodeId) && focusNode((c.nodeId ?? a.nodeId)!)}
                    title={c.description}
                  >
                    <td className="mono small check-name">
                      {/* A preview defines checks but never evaluates one: no ✓ before a run has passed it. */}
                      <CheckResultMark checkKey={c.key} /> {c.name}
                      {c.blocking && <span className="check-blocking"> blocking</span>}
                    </td>
                    <NodeCell nodeId={c.nodeId} labelOf={labelOf} />
                    <td colSpan={3} className="muted small">
                      <CheckResultText checkKey={c.key} description={c.description ?? 'asset check'} />
                    </td>
                  </tr>
                ))}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      {view === 'jobs' && (
        <DefinitionTable
          rows={defs?.jobs ?? EMPTY}
          rowKey={(j) => j.name}
          labelOf={labelOf}
          empty="No jobs: the project defines none."
          columns={[
            ['Job', (j) => <span className="mono">{j.name}</span>],
            ['Description', (j) => j.description ?? ''],
          ]}
        />
      )}
      {view === 'schedules' && (
        <DefinitionTable
          rows={defs?.schedules ?? EMPTY}
          rowKey={(s) => s.name}
          labelOf={labelOf}
          empty="No schedules: the project defines none."
          columns={[
            ['Schedule', (s) => <span className="mono">{s.name}</span>],
            ['Cron', (s) => <span className="mono">{s.cron_schedule}</span>],
            ['Job', (s) => s.job_name ?? ''],
            ['Timezone', (s) => s.execution_timezone ?? 'UTC'],
          ]}
        />
      )}
      {view === 'sensors' && (
        <DefinitionTable
          rows={defs?.sensors ?? EMPTY}
          rowKey={(s) => s.name}
          labelOf={labelOf}
          empty="No sensors: the project defines none."
          columns={[
            ['Sensor', (s) => <span className="mono">{s.name}</span>],
            ['Jobs', (s) => s.job_names.join(', ')],
            ['Interval', (s) => (s.minimum_interval_seconds ? `${s.minimum_interval_seconds} s` : '')],
          ]}
        />
      )}
      {view === 'resources' && (
        <DefinitionTable
          rows={defs?.resources ?? EMPTY}
          rowKey={(r) => r.key}
          labelOf={labelOf}
          empty="No resources: the project defines none."
          columns={[
            ['Resource key', (r) => <span className="mono">{r.key}</span>],
            ['Type', (r) => <span className="mono small">{r.type}</span>],
          ]}
        />
      )}
    </div>
  );
}
