// What a node's pill says about its assets on a deployment: pure, so it is tested without a browser.
import type { DeploymentAssetState } from '@designer/shared';

export interface NodeDeploymentState {
  tone: 'ok' | 'failed' | 'running' | 'missing' | 'stale' | 'absent';
  text: string;
  title: string;
}

const ENDED = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);
const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** What the pill says for a node's assets on a deployment (pure: the state, the node's keys, its load error). */
export function nodeDeploymentState(
  name: string,
  states: readonly DeploymentAssetState[],
  loadError?: string,
): NodeDeploymentState | null {
  if (loadError) return { tone: 'failed', text: 'load error', title: `${name}: ${loadError}` };
  if (states.length === 0) return null;
  const defined = states.filter((s) => s.defined);
  if (defined.length === 0)
    return {
      tone: 'absent',
      text: 'not deployed',
      title: `${name} does not define ${states.map((s) => s.key).join(', ')} yet: push, then reload the deployment.`,
    };
  const lines = defined.map((s) => {
    const m = s.lastMaterialization;
    const checks = s.checks.filter((c) => c.status).map((c) => `${c.name} ${c.status!.toLowerCase()}`);
    const parts = s.partitions ? `${s.partitions.materialized}/${s.partitions.total} partitions` : '';
    return [
      `${s.key}: ${m ? `materialized ${new Date(m.timestamp).toLocaleString()} by run ${m.runId.slice(0, 8)} (${(m.runStatus ?? '').toLowerCase()})` : 'never materialized'}`,
      s.staleStatus && s.staleStatus !== 'FRESH' ? s.staleStatus.toLowerCase() : '',
      parts,
      checks.join(', '),
    ]
      .filter(Boolean)
      .join(' · ');
  });
  const title = `On ${name}:\n${lines.join('\n')}`;
  if (defined.some((s) => s.inProgressRunIds.length > 0)) return { tone: 'running', text: 'running', title };
  const last = Math.max(0, ...defined.map((s) => s.lastMaterialization?.timestamp ?? 0));
  const failedCheck = defined.some((s) =>
    s.checks.some((c) => c.status === 'FAILED' || c.status === 'EXECUTION_FAILED'),
  );
  if (failedCheck) return { tone: 'failed', text: `check failed${last ? ` · ${time(last)}` : ''}`, title };
  if (defined.some((s) => !s.lastMaterialization || s.staleStatus === 'MISSING'))
    return { tone: 'missing', text: 'missing', title };
  const runStatus = (s: DeploymentAssetState) => s.lastMaterialization?.runStatus ?? 'SUCCESS';
  // The run that materialized it is still going (a later step), or ended badly after materializing it.
  if (defined.some((s) => !ENDED.has(runStatus(s)))) return { tone: 'running', text: time(last), title };
  if (defined.some((s) => runStatus(s) !== 'SUCCESS')) return { tone: 'failed', text: time(last), title };
  if (defined.some((s) => s.staleStatus === 'STALE'))
    return { tone: 'stale', text: `stale · ${time(last)}`, title };
  return { tone: 'ok', text: time(last), title };
}
