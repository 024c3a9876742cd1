// The Assets tab's view of the picked deployment: for each of the project's assets, its last materialization
// there (time, run, run status), partitions, check results and whether it is stale or missing.
import { selectDeploymentRun, useDeployments } from './deployment-store';
import { designerStore } from '../store';
import './deployments.css';

const when = (ms: number) => new Date(ms).toLocaleString();

export function DeploymentAssetsBlock() {
  const deployment = useDeployments((d) => d.list.find((x) => x.id === d.selectedId));
  const state = useDeployments((d) => d.state);
  const error = useDeployments((d) => d.stateError);
  if (!deployment) return null;
  const openRun = (runId: string) => {
    selectDeploymentRun(runId);
    designerStore.getState().setDrawer('runs', true);
  };
  return (
    <div className="deployment-state-block" data-testid="deployment-assets">
      <h3>
        On {deployment.name}
        {state?.location && (
          <span className="muted small">
            {' '}
            · code location {state.location.name} ({state.location.status}) · {state.code.message}
          </span>
        )}
      </h3>
      {error && <div className="error-box">{error}</div>}
      {!state && !error && (
        <div className="muted small">
          <span className="spinner" /> Asking {deployment.name}…
        </div>
      )}
      {state && (
        <table className="assets">
          <thead>
            <tr>
              <th>Asset key</th>
              <th>Last materialization</th>
              <th>Run</th>
              <th>Partitions</th>
              <th>Checks</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {state.assets.map((a) => {
              const m = a.lastMaterialization;
              return (
                <tr key={a.key} data-testid={`deployment-asset-${a.key}`}>
                  <td className="mono">{a.key}</td>
                  <td className="small">{m ? when(m.timestamp) : a.defined ? 'never' : '—'}</td>
                  <td className="small">
                    {m ? (
                      <button
                        className="link mono"
                        onClick={() => openRun(m.runId)}
                        title="Show the run's logs"
                      >
                        {m.runId.slice(0, 8)}
                      </button>
                    ) : (
                      ''
                    )}{' '}
                    {m?.runStatus && (
                      <span className={`run-status ${m.runStatus.toLowerCase()}`}>{m.runStatus}</span>
                    )}
                  </td>
                  <td className="small">
                    {a.partitions
                      ? `${a.partitions.materialized}/${a.partitions.total}${a.partitions.failed ? ` · ${a.partitions.failed} failed` : ''}`
                      : ''}
                  </td>
                  <td className="small">
                    {a.checks.map((c) => `${c.name}: ${(c.status ?? 'not run').toLowerCase()}`).join(', ')}
                  </td>
                  <td className="small">
                    {!a.defined
                      ? 'not in the deployment’s code'
                      : a.inProgressRunIds.length
                        ? 'running'
                        : (a.staleStatus ?? '').toLowerCase()}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
