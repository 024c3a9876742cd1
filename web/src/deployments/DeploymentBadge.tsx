// A node's state on the selected deployment, in one pill where the local last run is shown otherwise:
// its load error there, a run under way, its last materialization (time and run status), missing or stale.
import { declaredAssetKeys } from '@designer/shared';
import { useMemo } from 'react';
import { useDesignerShallow } from '../store';
import { useDeployments } from './deployment-store';
import { nodeDeploymentState } from './node-state';
import './deployments.css';

export function DeploymentBadge({ id, label }: { id: string; label: string }) {
  const keys = useDesignerShallow((s) => {
    const own = s.preview.assets.filter((a) => a.nodeId === id).map((a) => a.key);
    if (own.length) return own;
    const node = s.nodes.find((n) => n.id === id);
    return node ? (declaredAssetKeys(node) ?? []) : [];
  });
  const name = useDeployments((d) => d.list.find((x) => x.id === d.selectedId)?.name);
  const assets = useDeployments((d) => d.state?.assets);
  const loadError = useDeployments(
    (d) =>
      d.reload.result?.problems
        .filter((p) => p.nodeId === id)
        .map((p) => p.message)
        .join('\n') || undefined,
  );
  const state = useMemo(() => {
    if (!name) return null;
    const own = (assets ?? []).filter((a) => keys.includes(a.key));
    return nodeDeploymentState(name, own, loadError);
  }, [name, assets, keys, loadError]);
  if (!state) return null;
  const icon = { ok: '✓', failed: '✗', running: '…', missing: '○', stale: '◐', absent: '–' }[state.tone];
  return (
    <span
      className={`node-pill node-deployment ${state.tone}`}
      data-testid={`deployment-state-${label}`}
      data-tone={state.tone}
      title={state.title}
    >
      <span className="deployment-mark" aria-hidden>
        ⛁
      </span>{' '}
      {icon} {state.text}
    </span>
  );
}
