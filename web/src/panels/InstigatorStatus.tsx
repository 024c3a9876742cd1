// A schedule or sensor on the project's local Dagster instance: on or off there, its next tick and its last tick's
// result, and a switch that turns it on or off (Dagster keeps that state in the instance, not in the code).
import type { Instigator } from '@designer/shared';
import { useCallback, useEffect, useState } from 'react';
import { readAutomation, setInstigatorRunning } from '../project/automation-actions';
import { ApiError } from '../project/project-actions';
import { useDesigner } from '../store';

const POLL_MS = 5000;

const when = (iso: string) => new Date(iso).toLocaleString();

export function InstigatorStatus({ kind, name }: { kind: Instigator['kind']; name: string }) {
  const projectId = useDesigner((s) => s.project?.id);
  const [state, setState] = useState<{ instance: string; item?: Instigator } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    if (!projectId) return;
    try {
      const answer = await readAutomation(projectId);
      const list = kind === 'schedule' ? answer.schedules : answer.sensors;
      setState({ instance: answer.instance, item: list.find((i) => i.name === name) });
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [projectId, kind, name]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const toggle = async (running: boolean) => {
    if (!projectId) return;
    setBusy(true);
    try {
      const item = await setInstigatorRunning(projectId, kind, name, running);
      setState({ instance: 'ready', item });
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError && e.hint ? `${e.message} ${e.hint}` : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const item = state?.item;
  return (
    <section className="instigator-status" data-testid={`instigator-${name}`}>
      <h3 className="small">On the local instance</h3>
      {!state && !error && (
        <div className="muted small">
          <span className="spinner" /> Asking the instance…
        </div>
      )}
      {state && state.instance !== 'ready' && (
        <div className="muted small">
          The project's Dagster instance is {state.instance === 'failed' ? 'failed' : 'starting'}; its {kind}s
          show here once it is ready.
        </div>
      )}
      {state?.instance === 'ready' && !item && (
        <div className="muted small">
          The instance does not know “{name}” yet: save and preview, and it loads the latest definitions.
        </div>
      )}
      {item && (
        <>
          <label className="toggle-row">
            <input
              type="checkbox"
              role="switch"
              aria-label={`${name} running on the local instance`}
              checked={item.status === 'RUNNING'}
              disabled={busy}
              onChange={(e) => void toggle(e.target.checked)}
            />
            <span>
              {item.status === 'RUNNING' ? 'Running' : 'Stopped'}
              {item.status !== item.defaultStatus && (
                <span className="muted small"> (the code says {item.defaultStatus.toLowerCase()})</span>
              )}
            </span>
          </label>
          <dl className="small instigator-facts">
            <dt>Next tick</dt>
            <dd>
              {item.nextTick ? when(item.nextTick) : item.status === 'RUNNING' ? '—' : 'none while stopped'}
            </dd>
            <dt>Last tick</dt>
            <dd>
              {item.lastTick ? (
                <>
                  <span className={`tick-${item.lastTick.status.toLowerCase()}`}>{item.lastTick.status}</span>{' '}
                  {when(item.lastTick.at)}
                  {item.lastTick.runIds.length > 0 && ` · ${item.lastTick.runIds.length} run(s)`}
                  {item.lastTick.skipReason && <div className="muted">{item.lastTick.skipReason}</div>}
                  {item.lastTick.error && <div className="field-error">{item.lastTick.error}</div>}
                </>
              ) : (
                'none yet'
              )}
            </dd>
          </dl>
        </>
      )}
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </section>
  );
}
