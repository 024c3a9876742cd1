// The environment manager: every env var the project references, what it is for, whether it is set. Values go
// to the workspace's .env through the API and never come back (the server answers masked).
import { ENV_VAR_NAME_PATTERN } from '@designer/shared';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { EnvVarStatus } from '@designer/shared';
import { readEnv, setEnvVar } from '../project/env-actions';
import { previewAssets } from '../project/preview-actions';
import { reportError } from '../project/project-actions';
import { designerStore, useDesigner } from '../store';
import { focusNode } from './focus';

export function EnvTab() {
  const projectId = useDesigner((s) => s.project?.id);
  const ready = useDesigner((s) => s.workspace?.status === 'ready');
  const declared = useDesigner((s) => s.project?.env);
  const nodes = useDesigner((s) => s.nodes);
  const savedChangeCount = useDesigner((s) => s.savedChangeCount);
  const [vars, setVars] = useState<EnvVarStatus[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [newName, setNewName] = useState('');

  const refresh = useCallback(() => {
    if (!projectId || !ready) return;
    readEnv(projectId).then(setVars, (e: Error) => setError(e.message));
  }, [projectId, ready]);
  // The list follows the saved graph (references come from saved attributes).
  useEffect(refresh, [refresh, savedChangeCount]);

  const labelOf = useMemo(() => new Map(nodes.map((n) => [n.id, n.data.label])), [nodes]);
  const descriptionOf = useMemo(() => new Map((declared ?? []).map((d) => [d.name, d])), [declared]);

  if (!ready) return <div className="muted pad">Env vars can be set once the Dagster project is ready.</div>;
  if (error) return <div className="error-box pad">{error}</div>;
  if (!vars)
    return (
      <div className="muted pad">
        <span className="spinner" /> Reading the environment…
      </div>
    );
  const missing = vars.filter((v) => v.required && !v.set && v.usedBy.length > 0).length;
  return (
    <div className="env-tab">
      <p className="muted small pad-x">
        Values are stored only in the project's <span className="mono">.env</span> (mode 0600, git-ignored),
        given to previews and runs, and never exported, pushed or shown again.
        {missing > 0 && (
          <strong className="env-missing-count">
            {' '}
            {missing} required variable{missing === 1 ? ' is' : 's are'} not set.
          </strong>
        )}
      </p>
      <table className="env-table" aria-label="Environment variables">
        <thead>
          <tr>
            <th>Name</th>
            <th>Description</th>
            <th>Used by</th>
            <th>Required</th>
            <th>Status</th>
            <th>Value</th>
          </tr>
        </thead>
        <tbody>
          {vars.map((v) => (
            <EnvRow
              key={v.name}
              env={v}
              description={descriptionOf.get(v.name)?.description ?? v.description ?? ''}
              labels={v.usedBy.map((id) => [id, labelOf.get(id) ?? id] as const)}
              onChanged={setVars}
              onRequired={(required) =>
                setVars((list) => list?.map((x) => (x.name === v.name ? { ...x, required } : x)) ?? list)
              }
            />
          ))}
        </tbody>
      </table>
      <form
        className="env-add pad-x"
        onSubmit={(e) => {
          e.preventDefault();
          const name = newName.trim();
          if (!ENV_VAR_NAME_PATTERN.test(name)) {
            designerStore
              .getState()
              .toast('error', `"${name}" is not an env var name.`, 'Letters, digits, _.');
            return;
          }
          designerStore.getState().declareEnv(name, { required: false });
          setVars((list) =>
            list && !list.some((v) => v.name === name)
              ? [...list, { name, required: false, usedBy: [], set: false, source: null, masked: null }]
              : list,
          );
          setNewName('');
        }}
      >
        <input
          aria-label="New variable name"
          placeholder="NEW_VARIABLE"
          value={newName}
          onChange={(e) => setNewName(e.target.value)}
        />
        <button type="submit">Declare</button>
      </form>
    </div>
  );
}

function EnvRow({
  env,
  description,
  labels,
  onChanged,
  onRequired,
}: {
  env: EnvVarStatus;
  description: string;
  labels: ReadonlyArray<readonly [string, string]>;
  onChanged: (list: EnvVarStatus[]) => void;
  onRequired: (required: boolean) => void;
}) {
  const projectId = useDesigner((s) => s.project?.id);
  const [value, setValue] = useState('');
  const [text, setText] = useState(description);
  const [busy, setBusy] = useState(false);
  useEffect(() => setText(description), [description]);
  const write = async (next: string | null) => {
    if (!projectId) return;
    setBusy(true);
    try {
      onChanged(await setEnvVar(projectId, env.name, next));
      setValue('');
      // The node problems about this variable follow at once.
      if (designerStore.getState().preview.status !== 'idle') void previewAssets({ quiet: true });
      designerStore
        .getState()
        .toast(
          'success',
          next === null ? `Removed ${env.name}.` : `Set ${env.name}.`,
          'Previews and runs use it from now on.',
        );
    } catch (error) {
      reportError(error, `Setting ${env.name} failed`);
    } finally {
      setBusy(false);
    }
  };
  const status = env.set
    ? env.source === 'server'
      ? 'set (server environment)'
      : 'set'
    : env.required
      ? 'missing'
      : 'not set';
  return (
    <tr className={!env.set && env.required && env.usedBy.length > 0 ? 'env-missing' : undefined}>
      <td className="mono" title={env.name}>
        {env.name}
      </td>
      <td>
        <input
          aria-label={`Description of ${env.name}`}
          value={text}
          placeholder="What it is for"
          onChange={(e) => setText(e.target.value)}
          onBlur={() => {
            if (text !== description)
              designerStore.getState().declareEnv(env.name, { description: text.trim() });
          }}
        />
      </td>
      <td>
        {labels.length === 0 ? (
          <span className="muted small">—</span>
        ) : (
          labels.map(([id, label]) => (
            <button key={id} className="link" onClick={() => focusNode(id)}>
              {label}
            </button>
          ))
        )}
      </td>
      <td>
        <input
          type="checkbox"
          aria-label={`${env.name} is required`}
          checked={env.required}
          onChange={(e) => {
            designerStore.getState().declareEnv(env.name, { required: e.target.checked });
            onRequired(e.target.checked);
          }}
        />
      </td>
      <td>
        <span
          className={`pill ${env.set ? 'ok' : env.required ? 'error' : ''}`}
          title={env.masked ?? undefined}
        >
          {status}
          {env.masked ? ` ${env.masked}` : ''}
        </span>
      </td>
      <td>
        <form
          className="env-value"
          onSubmit={(e) => {
            e.preventDefault();
            if (value !== '') void write(value);
          }}
        >
          <input
            type="password"
            autoComplete="off"
            aria-label={`Value of ${env.name}`}
            placeholder={env.set ? 'new value' : 'value'}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
          <button type="submit" disabled={busy || value === ''}>
            Set
          </button>
          {env.source === '.env' && (
            <button type="button" disabled={busy} onClick={() => void write(null)}>
              Clear
            </button>
          )}
        </form>
      </td>
    </tr>
  );
}
