// Run with configuration: the selection's run config as a form built from Dagster's own config schema, and env
// overrides for this run only (sent once, never stored; the project's values live in the Environment tab).
import { ENV_VAR_NAME_PATTERN } from '@designer/shared';
import type { IChangeEvent } from '@rjsf/core';
import type { RJSFSchema } from '@rjsf/utils';
import { useEffect, useMemo, useState } from 'react';
import YAML from 'yaml';
import { CodeEditor } from '../editor/CodeEditor';
import { NO_INJECTED_DEFAULTS } from '../forms/schema';
import { LazyForm } from '../forms/LazyForm';
import { runAssets, runConfigSchema, selectedNodes } from '../project/run-actions';
import { runOnDeployment, selectedDeployment } from '../deployments/deployment-store';
import { designerStore, useDesigner } from '../store';
import { BackfillSection } from './BackfillSection';
import { Modal } from '../ui/Modal';
import { Segmented } from './Segmented';

export type Schema = { properties?: Record<string, Schema>; oneOf?: Schema[]; items?: Schema };

/**
 * Keeps only what the user filled, so Dagster fills the rest from its defaults: undefined values and empty objects
 * go, except a selector's choice (`execution: {config: {in_process: {}}}`), which is kept even when empty because
 * choosing is the value. A selector left empty goes too (Dagster refuses `config: {}` for a selector).
 */
export function pruneConfig(value: unknown, schema: Schema = {}): unknown {
  if (value === undefined || value === null) return value ?? undefined;
  if (Array.isArray(value)) return value.map((v) => pruneConfig(v, schema.items ?? {}));
  if (typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (schema.oneOf) {
    const [choice] = entries;
    if (entries.length !== 1 || !choice) return undefined;
    const option = schema.oneOf.find((o) => o.properties && choice[0] in o.properties);
    const inner = pruneConfig(choice[1], option?.properties?.[choice[0]] ?? {});
    return { [choice[0]]: inner ?? {} };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    const pruned = pruneConfig(v, schema.properties?.[k] ?? {});
    if (pruned !== undefined) out[k] = pruned;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The run configuration as YAML (what Dagster's launchpad shows), from the form's values. */
export function toYaml(formData: Record<string, unknown>, schema: Schema): string {
  const pruned = pruneConfig(formData, schema);
  return pruned === undefined ? '' : YAML.stringify(pruned);
}

/** Edited YAML back into form values, or what is wrong with it. */
export function fromYaml(text: string): { value: Record<string, unknown> } | { error: string } {
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : YAML.parse(text);
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0]! };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { error: 'The run configuration is a mapping (ops:, resources:, execution:).' };
  return { value: parsed as Record<string, unknown> };
}

export function RunDialog() {
  const project = useDesigner((s) => s.project);
  const close = () => designerStore.getState().setDialog(null);
  const [nodes] = useState(() => selectedNodes());
  const graphNodes = useDesigner((s) => s.nodes);
  const labels = useMemo(
    () => graphNodes.filter((n) => nodes.includes(n.id)).map((n) => n.data.label),
    [graphNodes, nodes],
  );
  const [schema, setSchema] = useState<{ schema: RJSFSchema; hasConfig: boolean; assets: string[] } | null>(
    null,
  );
  const [error, setError] = useState<string | null>(null);
  const [formData, setFormData] = useState<Record<string, unknown>>({});
  const [valid, setValid] = useState(true);
  const [showAll, setShowAll] = useState(false);
  const [view, setView] = useState<'form' | 'yaml'>('form');
  const [yamlText, setYamlText] = useState('');
  const [yamlError, setYamlError] = useState<string | null>(null);
  const [env, setEnv] = useState<Array<{ name: string; value: string }>>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!project) return;
    let live = true;
    runConfigSchema(project.id, nodes).then(
      (result) => live && setSchema({ ...result, schema: result.schema as RJSFSchema }),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [project, nodes]);

  const badEnv = env.find((e) => e.name !== '' && !ENV_VAR_NAME_PATTERN.test(e.name));
  const launch = async () => {
    setBusy(true);
    const overrides = Object.fromEntries(env.filter((e) => e.name !== '').map((e) => [e.name, e.value]));
    const runConfig = (pruneConfig(formData, schema?.schema as Schema) ?? {}) as Record<string, unknown>;
    const deployment = selectedDeployment();
    if (deployment && Object.keys(overrides).length > 0) {
      // A deployment's runs take its own environment: overrides are for local runs only.
      designerStore
        .getState()
        .toast(
          'error',
          `Env overrides apply to local runs only, not on ${deployment.name}.`,
          'Remove them, or pick Local.',
        );
      setBusy(false);
      return;
    }
    const ok = deployment ? await runOnDeployment(runConfig) : await runAssets({ runConfig, env: overrides });
    setBusy(false);
    if (ok) close();
  };

  return (
    <Modal title="Run with configuration" onClose={close} wide>
      <p className="muted small">
        {nodes.length === 0
          ? 'Every asset of the project'
          : `The assets of ${labels.length} component${labels.length === 1 ? '' : 's'}: ${labels.join(', ')}`}
      </p>
      <BackfillSection nodes={nodes} onLaunched={close} />
      {error && (
        <div className="error-box" role="alert">
          {error}
        </div>
      )}
      {!schema && !error && (
        <div className="muted">
          <span className="spinner" /> Asking Dagster for the run configuration (the first time starts
          Dagster)…
        </div>
      )}
      {schema && (
        <section className="run-config" aria-label="Run configuration">
          <h3>Run configuration</h3>
          {!schema.hasConfig && (
            <p className="muted small">
              These assets take no configuration of their own.{' '}
              <button className="link" onClick={() => setShowAll((v) => !v)}>
                {showAll ? 'Hide' : 'Show'} execution settings
              </button>
            </p>
          )}
          {(schema.hasConfig || showAll) && (
            <Segmented
              label="Run configuration view"
              options={[
                ['form', 'Form'],
                ['yaml', 'YAML'],
              ]}
              value={view}
              onChange={(v) => {
                if (v === 'yaml') setYamlText(toYaml(formData, schema.schema as Schema));
                setView(v);
              }}
            />
          )}
          {(schema.hasConfig || showAll) && view === 'form' && (
            <LazyForm
              schema={schema.schema}
              formData={formData}
              extras="widgets"
              liveValidate="onChange"
              noHtml5Validate
              showErrorList={false}
              experimental_defaultFormStateBehavior={NO_INJECTED_DEFAULTS}
              uiSchema={{ 'ui:submitButtonOptions': { norender: true } }}
              idPrefix="runconfig"
              onChange={(e: IChangeEvent) => {
                setFormData((e.formData ?? {}) as Record<string, unknown>);
                setValid((e.errors ?? []).length === 0);
              }}
            />
          )}
          {(schema.hasConfig || showAll) && view === 'yaml' && (
            <div className="run-yaml">
              <CodeEditor
                label="Run configuration YAML"
                language="yaml"
                value={yamlText}
                onChange={(text) => {
                  setYamlText(text);
                  const parsed = fromYaml(text);
                  setYamlError('error' in parsed ? parsed.error : null);
                  if ('value' in parsed) {
                    setFormData(parsed.value);
                    setValid(true); // Dagster checks it on launch and answers with what is wrong.
                  }
                }}
              />
              {yamlError && (
                <div className="field-error" role="alert">
                  {yamlError}
                </div>
              )}
            </div>
          )}
        </section>
      )}
      <section className="run-env" aria-label="Env overrides for this run">
        <h3>Env overrides for this run</h3>
        <p className="muted small">
          Sent with this run only and never stored. The project's own values are set in the Environment tab.
        </p>
        {env.map((row, i) => (
          <div className="env-override" key={i}>
            <input
              aria-label={`Override name ${i + 1}`}
              placeholder="NAME"
              value={row.name}
              onChange={(e) => setEnv(env.map((r, j) => (j === i ? { ...r, name: e.target.value } : r)))}
            />
            <input
              type="password"
              autoComplete="off"
              aria-label={`Override value ${i + 1}`}
              placeholder="value"
              value={row.value}
              onChange={(e) => setEnv(env.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))}
            />
            <button
              className="icon"
              aria-label="Remove override"
              onClick={() => setEnv(env.filter((_, j) => j !== i))}
            >
              ✕
            </button>
          </div>
        ))}
        {badEnv && <div className="field-error">"{badEnv.name}" is not an env var name.</div>}
        <button onClick={() => setEnv([...env, { name: '', value: '' }])}>Add override</button>
      </section>
      <div className="actions">
        <button onClick={close}>Cancel</button>
        <button
          className="primary"
          disabled={busy || !schema || !valid || Boolean(badEnv) || (view === 'yaml' && yamlError !== null)}
          onClick={() => void launch()}
        >
          {busy ? 'Starting…' : 'Launch run'}
        </button>
      </div>
    </Modal>
  );
}
