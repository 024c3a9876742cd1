// Runs: history from Dagster's run storage, and one run's steps and live logs (level filter, search,
// auto-scroll), with failed steps leading to their component. A run being launched shows its launch steps
// (sync, instance start with its own stages, reload, launch); steps carry their node's name.
import { declaredAssetKeys } from '@designer/shared';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Run, RunEvent } from '@designer/shared';
import type { DesignerNode } from '../store/graph-ops';
import { reportError } from '../project/project-actions';
import { cancelRun, readRun, refreshRuns, streamRunEvents } from '../project/run-actions';
import { designerStore, useDesigner } from '../store';
import { deploymentRunSource, selectDeploymentRun, useDeployments } from '../deployments/deployment-store';
import { focusNode } from './focus';
import { BackfillList } from './BackfillList';
import { SearchInput } from './SearchInput';
import { CheckEventLine } from '../checks/CheckEventLine';

const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);
const seconds = (run: Run) =>
  run.startTime ? ((run.endTime ?? Date.now() / 1000) - run.startTime).toFixed(1) : '–';
const when = (t: number | null) => (t ? new Date(t * 1000).toLocaleTimeString() : '');
const ICONS: Record<string, string> = { done: '✓', running: '…', failed: '✗', skipped: '–', pending: '·' };

/** Where a run view reads its run: the local instance, or the deployment picked in the top bar. */
export interface RunSource {
  run: (runId: string) => Promise<Run>;
  streamEvents: (
    runId: string,
    onEvent: (e: RunEvent) => void,
    onEnd: (status: string) => void,
  ) => () => void;
  cancel: (runId: string) => Promise<unknown>;
  refresh: () => Promise<void>;
}
const LOCAL: RunSource = {
  run: (runId) => readRun(runId),
  streamEvents: (runId, onEvent, onEnd) => streamRunEvents(runId, onEvent, onEnd),
  cancel: (runId) => cancelRun(runId),
  refresh: () => refreshRuns(),
};

interface Progress {
  id: string;
  label: string;
  status: string;
  startedAt?: number;
  endedAt?: number;
  detail?: string;
}

/** Steps of a launch or of an instance start, each with its state and how long it took (or takes). */
function ProgressList({ steps, label }: { steps: Progress[]; label: string }) {
  return (
    <ol className="progress-steps" aria-label={label}>
      {steps.map((s) => (
        <li key={s.id} className={`progress-step ${s.status}`} data-status={s.status}>
          <span className="progress-icon" aria-hidden>
            {s.status === 'running' ? <span className="spinner" /> : ICONS[s.status]}
          </span>
          <span>{s.label}</span>
          {s.detail && <span className="muted small"> · {s.detail}</span>}
          {s.startedAt && (s.status === 'done' || s.status === 'running' || s.status === 'failed') && (
            <span className="muted small mono">
              {' '}
              {(((s.endedAt ?? Date.now()) - s.startedAt) / 1000).toFixed(1)} s
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}

/** The node a step belongs to: through the assets it materializes (declared keys, or the last preview's). */
export function nodeOfStep(
  step: { stepKey: string | null; assets?: string[] },
  nodes: readonly DesignerNode[],
  previewNodeOf: ReadonlyMap<string, string>,
): DesignerNode | undefined {
  for (const key of step.assets ?? []) {
    const byPreview = previewNodeOf.get(key);
    const node =
      nodes.find((n) => n.id === byPreview) ?? nodes.find((n) => declaredAssetKeys(n)?.includes(key));
    if (node) return node;
  }
  return nodes.find((n) => n.data.label === step.stepKey);
}

function RunView({ runId, source = LOCAL }: { runId: string; source?: RunSource }) {
  const [run, setRun] = useState<Run | null>(null);
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [level, setLevel] = useState<'ALL' | 'INFO' | 'ERROR'>('ALL');
  const [query, setQuery] = useState('');
  const [follow, setFollow] = useState(true);
  const nodes = useDesigner((s) => s.nodes);
  const previewAssets = useDesigner((s) => s.preview.assets);
  const previewNodeOf = useMemo(
    () => new Map(previewAssets.flatMap((a) => (a.nodeId ? [[a.key, a.nodeId] as const] : []))),
    [previewAssets],
  );
  const logRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setEvents([]);
    let live = true;
    const poll = async () => {
      try {
        const r = await source.run(runId);
        if (!live) return;
        setRun(r);
        if (!TERMINAL.has(r.status)) setTimeout(() => void poll(), r.status === 'LAUNCHING' ? 400 : 1000);
        else void source.refresh();
      } catch (error) {
        reportError(error, 'Run status');
      }
    };
    void poll();
    const stop = source.streamEvents(
      runId,
      (e) => live && setEvents((list) => [...list, e]),
      () => undefined,
    );
    return () => {
      live = false;
      stop();
    };
  }, [runId, source]);

  useEffect(() => {
    if (follow && logRef.current) logRef.current.scrollTop = logRef.current.scrollHeight;
  }, [events, follow]);

  const shown = useMemo(
    () =>
      events.filter(
        (e) =>
          (level === 'ALL' ||
            (level === 'ERROR' ? e.level === 'ERROR' || e.level === 'CRITICAL' : e.level !== 'DEBUG')) &&
          `${e.type} ${e.message} ${e.error ?? ''} ${e.stepKey ?? ''}`
            .toLowerCase()
            .includes(query.toLowerCase()),
      ),
    [events, level, query],
  );
  // Step keys are op names (a script's file name, a SQL hash): the timeline names the node instead.
  const stepNames = new Map(
    (run?.steps ?? []).map((s) => [s.stepKey, nodeOfStep(s, nodes, previewNodeOf)] as const),
  );
  const nodeOf = (stepKey: string | null) => (stepKey ? stepNames.get(stepKey) : undefined);
  if (!run)
    return (
      <div className="muted pad">
        <span className="spinner" /> Loading the run…
      </div>
    );
  const start = Math.min(...run.steps.map((s) => s.startTime ?? Infinity), run.startTime ?? Infinity);
  const end = Math.max(
    ...run.steps.map((s) => s.endTime ?? Date.now() / 1000),
    run.endTime ?? Date.now() / 1000,
  );
  return (
    <div className="run-view">
      <div className="run-head">
        <span className={`run-status ${run.status.toLowerCase()}`} data-testid="run-status">
          {run.status}
        </span>
        <span className="mono small">{run.runId.slice(0, 8)}</span>
        <span className="muted small">
          {seconds(run)} s · {run.assets.length} asset{run.assets.length === 1 ? '' : 's'}
        </span>
        <div className="spacer" />
        {!TERMINAL.has(run.status) && (
          <button
            className="small danger"
            onClick={() => void source.cancel(run.runId).catch((e) => reportError(e, 'Cancel failed'))}
          >
            Cancel run
          </button>
        )}
      </div>
      {run.launch && (run.status === 'LAUNCHING' || run.launch.error) && (
        <div className="launch-progress">
          <ProgressList steps={run.launch.steps} label="Launch steps" />
          {run.launch.instance && <ProgressList steps={run.launch.instance} label="Dagster instance start" />}
          {run.launch.error && (
            <div className="error-box" role="alert">
              {run.launch.error.message}
              {run.launch.error.hint && <div className="muted small">{run.launch.error.hint}</div>}
            </div>
          )}
        </div>
      )}
      <div className="steps" aria-label="Steps">
        {run.steps.map((s) => {
          const node = nodeOf(s.stepKey);
          const left =
            s.startTime && Number.isFinite(start)
              ? ((s.startTime - start) / Math.max(end - start, 0.001)) * 100
              : 0;
          const width = s.startTime
            ? (((s.endTime ?? end) - s.startTime) / Math.max(end - start, 0.001)) * 100
            : 0;
          return (
            <div key={s.stepKey} className="step-row">
              <button
                className="link step-name"
                disabled={!node}
                onClick={() => node && focusNode(node.id)}
                title={node ? `Show the component (step ${s.stepKey})` : s.stepKey}
              >
                {node ? node.data.label : s.stepKey}
              </button>
              <div className="step-track">
                <div
                  className={`step-bar ${(s.status ?? '').toLowerCase()}`}
                  style={{ left: `${left}%`, width: `${Math.max(width, 1)}%` }}
                />
              </div>
              <span className={`small run-status ${(s.status ?? '').toLowerCase()}`}>{s.status ?? '…'}</span>
            </div>
          );
        })}
      </div>
      <div className="log-toolbar">
        <select
          aria-label="Log level"
          value={level}
          onChange={(e) => setLevel(e.target.value as typeof level)}
        >
          <option value="ALL">All events</option>
          <option value="INFO">Info and above</option>
          <option value="ERROR">Errors</option>
        </select>
        <SearchInput label="Search the logs" value={query} onChange={setQuery} />
        <label className="small">
          <input
            type="checkbox"
            checked={follow}
            onChange={(e) => setFollow(e.target.checked)}
            style={{ width: 'auto' }}
          />{' '}
          Follow
        </label>
      </div>
      <div className="run-logs" ref={logRef} aria-label="Run logs">
        {shown.map((e, i) => (
          <div key={i} className={`log-line ${e.level.toLowerCase()}`}>
            <span className="muted">{new Date(Number(e.timestamp)).toLocaleTimeString()}</span>{' '}
            <span className="log-type">{e.type.replace(/Event$/, '')}</span>
            {e.stepKey && <span className="mono"> [{e.stepKey}]</span>} {e.message}
            {e.error && <pre className="log-error">{e.error}</pre>}
            {e.check && <CheckEventLine check={e.check} />}
          </div>
        ))}
      </div>
    </div>
  );
}

export function RunsTab() {
  const localRuns = useDesigner((s) => s.runs);
  const ready = useDesigner((s) => s.workspace?.status === 'ready');
  // With a deployment picked in the top bar: its runs of this project's code location, in the same views.
  const deployment = useDeployments((d) => d.list.find((x) => x.id === d.selectedId));
  const deploymentRuns = useDeployments((d) => d.runs);
  useEffect(() => {
    if (ready) void refreshRuns();
  }, [ready]);
  const runs = deployment ? { ...deploymentRuns, instance: undefined } : localRuns;
  const source = deployment ? deploymentRunSource : LOCAL;
  const select = (runId: string) =>
    deployment ? selectDeploymentRun(runId) : designerStore.getState().setRuns({ selected: runId });
  if (!ready && !deployment)
    return <div className="muted pad">Runs are possible once the Dagster project is ready.</div>;
  // A launching run shows the instance's start among its own steps: the box above it would repeat them.
  const launchingSelected = runs.history.some(
    (r) => (r.runId === runs.selected || r.launchId === runs.selected) && r.status === 'LAUNCHING',
  );
  return (
    <div className="runs-tab">
      <ul className="run-list" aria-label="Run history">
        <li className="run-list-head">
          <span className="muted small" data-testid="runs-where">
            {runs.history.length} run{runs.history.length === 1 ? '' : 's'}
            {deployment ? ` on ${deployment.name}` : ''}
          </span>
          <button className="small" onClick={() => void source.refresh()} disabled={runs.loading}>
            {runs.loading ? '…' : 'Refresh'}
          </button>
        </li>
        {runs.history.map((r) => (
          <li key={r.runId}>
            <button
              className={runs.selected === r.runId || runs.selected === r.launchId ? 'active' : ''}
              onClick={() => select(r.runId)}
            >
              <span className={`run-status ${r.status.toLowerCase()}`}>{r.status}</span>
              <span className="small">
                {when(r.startTime ?? r.creationTime)} · {seconds(r)} s
              </span>
              <span className="muted small">
                {r.assets.slice(0, 2).join(', ')}
                {r.assets.length > 2 ? ` +${r.assets.length - 2}` : ''}
              </span>
            </button>
          </li>
        ))}
        {runs.history.length === 0 && !runs.loading && (
          <li className="muted pad small">No runs yet. Press ▶ Run.</li>
        )}
      </ul>
      <div className="run-detail">
        <BackfillList />
        {runs.instance &&
          (runs.instance.status === 'starting' || runs.instance.status === 'failed') &&
          !launchingSelected && (
            <div className="instance-progress" aria-label="Dagster instance">
              <div className="small">
                {runs.instance.status === 'starting'
                  ? 'Starting the local Dagster instance…'
                  : 'The local Dagster instance did not start.'}
              </div>
              <ProgressList steps={runs.instance.steps} label="Dagster instance start" />
              {runs.instance.error && (
                <div className="error-box" role="alert">
                  {runs.instance.error.message}
                  {runs.instance.error.hint && <div className="muted small">{runs.instance.error.hint}</div>}
                </div>
              )}
            </div>
          )}
        {runs.selected ? (
          <RunView
            key={`${deployment?.id ?? 'local'}-${runs.selected}`}
            runId={runs.selected}
            source={source}
          />
        ) : (
          <div className="muted pad">Pick a run to see its steps and logs.</div>
        )}
      </div>
    </div>
  );
}
