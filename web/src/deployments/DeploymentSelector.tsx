// The top bar's deployment picker: "Local" (the project's own instance) or one of the project's deployments;
// with one picked, its code location's state, whether it runs the designer's last push, and "Reload deployment".
// It also keeps the picked deployment's state fresh while it is shown.
import { useEffect } from 'react';
import { useDesigner } from '../store';
import { DeploymentsDialog } from './DeploymentsDialog';
import {
  openDeploymentsDialog,
  refreshDeploymentRuns,
  refreshDeploymentState,
  reloadDeploymentNow,
  selectDeployment,
  useDeployments,
} from './deployment-store';
import './deployments.css';

const MANAGE = '__manage__';
const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);

/** Polls the picked deployment: its asset state now and then, its runs often while one is under way. */
function useDeploymentPolling() {
  const selectedId = useDeployments((d) => d.selectedId);
  const running = useDeployments((d) => d.runs.history.some((r) => !TERMINAL.has(r.status)));
  const previewAt = useDesigner((s) => s.preview.at);
  useEffect(() => {
    if (!selectedId) return;
    void refreshDeploymentState();
    const timer = setInterval(() => void refreshDeploymentState(), running ? 3000 : 15000);
    return () => clearInterval(timer);
  }, [selectedId, running, previewAt]);
  useEffect(() => {
    if (!selectedId || !running) return;
    const timer = setInterval(() => void refreshDeploymentRuns(), 2000);
    return () => clearInterval(timer);
  }, [selectedId, running]);
}

function DeploymentStatus() {
  const state = useDeployments((d) => d.state);
  const error = useDeployments((d) => d.stateError);
  const reloading = useDeployments((d) => d.reload.running);
  if (error)
    return (
      <span className="deployment-code error" title={error} data-testid="deployment-status">
        unreachable
      </span>
    );
  if (!state) return <span className="spinner" />;
  const location = state.location;
  const code = state.code;
  // One chip: the location's load state, and "behind" when the deployment runs another commit than the push.
  const tone =
    location?.status === 'error' || code.status === 'behind' ? 'error' : (location?.status ?? 'error');
  const text = !location
    ? 'no location'
    : location.status === 'error'
      ? '✗ load error'
      : location.status === 'loading'
        ? '…'
        : code.status === 'behind'
          ? '✗ behind'
          : '✓';
  return (
    <>
      <span
        className={`deployment-code ${tone}`}
        data-testid="deployment-status"
        data-location={location?.status ?? 'none'}
        data-code={code.status}
        title={[
          location
            ? `Code location "${location.name}": ${location.status}${location.dagsterVersion ? ` (Dagster ${location.dagsterVersion})` : ''}`
            : 'No code location of the deployment serves this project.',
          location?.error ?? '',
          code.message,
        ]
          .filter(Boolean)
          .join('\n')}
      >
        {text}
      </span>
      <button
        className="small"
        onClick={() => void reloadDeploymentNow()}
        disabled={reloading}
        data-command="deployment.reload"
        aria-label="Reload deployment"
        title="Reload deployment: its code location loads the pushed code again; load errors land on their nodes"
      >
        {reloading ? <span className="spinner" /> : '⟳'}
      </button>
    </>
  );
}

export function DeploymentSelector() {
  const list = useDeployments((d) => d.list);
  const selectedId = useDeployments((d) => d.selectedId);
  useDeploymentPolling();
  return (
    <div className="deployment-bar">
      <select
        aria-label="Deployment"
        data-testid="deployment-select"
        value={selectedId ?? ''}
        title="Where nodes' state, runs and ▶ Run go: the local instance, or one of the project's deployments"
        onChange={(e) => {
          if (e.target.value === MANAGE) openDeploymentsDialog();
          else selectDeployment(e.target.value || null);
        }}
      >
        <option value="">Local</option>
        {list.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
        <option value={MANAGE}>Manage deployments…</option>
      </select>
      {selectedId && <DeploymentStatus />}
      <DeploymentsDialog />
    </div>
  );
}
