// The node panel's Checks tab: the check specs of a component that takes them (`checks:` of a script, uv or
// function component) to add, edit and remove, and every check of the node (dbt tests included) with its last
// result on the local instance; a failed one says why (its result's metadata, its description).
import {
  blocksDownstream,
  checkFailureReason,
  checkSpecProblems,
  declaredAssetKeys,
  newCheckName,
  readCheckSpecs,
  supportsCheckSpecs,
  writeCheckSpecs,
  type AssetCheckResult,
  type CheckSpec,
} from '@designer/shared';
import { useEffect, useState } from 'react';
import { designerStore, useDesignerShallow } from '../store';
import type { DesignerNode } from '../store/graph-ops';
import { useNodeChecks } from './check-results';
import './checks.css';

const STATUS_WORDS: Record<AssetCheckResult['status'], string> = {
  passed: 'passed',
  failed: 'failed',
  error: 'error (the check raised)',
  running: 'running',
  skipped: 'skipped',
  not_run: 'not run yet',
};

export function CheckResultRow({ check }: { check: AssetCheckResult }) {
  const ev = check.evaluation;
  const failed = check.status === 'failed' || check.status === 'error';
  const why = checkFailureReason(ev);
  return (
    <div className="check-row" data-testid={`check-${check.name}`}>
      <div className="check-head">
        <strong className="mono">{check.name}</strong>
        <span className="muted small mono">{check.asset}</span>
        <span
          className={`check-result ${check.status}${ev?.severity === 'WARN' ? ' warn' : ''}`}
          data-testid="check-status"
        >
          {STATUS_WORDS[check.status]}
          {failed && ev ? ` · ${ev.severity}` : ''}
        </span>
        {check.blocking && <span className="muted small">blocking</span>}
      </div>
      {check.description && <div className="muted small">{check.description}</div>}
      {failed && (why || blocksDownstream(check)) && (
        <pre className="check-why" data-testid="check-why">
          {why}
          {blocksDownstream(check)
            ? `${why ? '\n' : ''}Blocking: the run stopped before the assets downstream of ${check.asset}.`
            : ''}
        </pre>
      )}
      {check.at && (
        <div className="muted small">
          {new Date(check.at).toLocaleString()}
          {check.runId ? ` · run ${check.runId.slice(0, 8)}` : ''}
        </div>
      )}
    </div>
  );
}

function SpecEditor({ node, keys }: { node: DesignerNode; keys: string[] }) {
  const saved = readCheckSpecs(node.data.attributes);
  const [specs, setSpecs] = useState<CheckSpec[]>(saved);
  const savedText = JSON.stringify(saved);
  useEffect(() => setSpecs(JSON.parse(savedText) as CheckSpec[]), [savedText]);
  const commit = (next: CheckSpec[]) => {
    setSpecs(next);
    designerStore
      .getState()
      .updateNode(node.id, { attributes: writeCheckSpecs(node.data.attributes, next) }, `checks:${node.id}`);
  };
  const edit = (i: number, patch: Partial<CheckSpec>) =>
    setSpecs(specs.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const problems = checkSpecProblems(specs, keys);
  const asset = keys[0] ?? '';
  return (
    <section>
      <h3 className="small">Check specs</h3>
      {specs.length === 0 && (
        <p className="muted small">
          No checks yet. A check is a named test of one asset that your script reports.
        </p>
      )}
      {specs.map((s, i) => (
        <div className="check-row" key={i} data-testid={`check-spec-${i}`}>
          <div className="check-edit">
            <label className="field">
              <span>Name</span>
              <input
                aria-label="Check name"
                className="mono"
                value={s.name}
                onChange={(e) => edit(i, { name: e.target.value })}
                onBlur={() => commit(specs)}
              />
            </label>
            <label className="field">
              <span>Asset</span>
              <select
                aria-label="Checked asset"
                value={s.asset}
                onChange={(e) => commit(specs.map((x, j) => (j === i ? { ...x, asset: e.target.value } : x)))}
              >
                {[...new Set([...keys, s.asset])].map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            </label>
            <label className="field wide">
              <span>Description</span>
              <input
                aria-label="Check description"
                value={s.description ?? ''}
                placeholder="what it makes sure of"
                onChange={(e) => edit(i, { description: e.target.value })}
                onBlur={() => commit(specs)}
              />
            </label>
            <label className="toggle-row">
              <input
                type="checkbox"
                aria-label="Blocking"
                checked={Boolean(s.blocking)}
                onChange={(e) =>
                  commit(specs.map((x, j) => (j === i ? { ...x, blocking: e.target.checked } : x)))
                }
              />
              <span>
                Blocking{' '}
                <span className="muted small">(a failure with severity ERROR stops downstream assets)</span>
              </span>
            </label>
            <button type="button" onClick={() => commit(specs.filter((_, j) => j !== i))}>
              Remove
            </button>
          </div>
          {problems
            .filter((p) => p.index === i)
            .map((p) => (
              <div key={p.message} className="field-error" role="alert">
                {p.message}
              </div>
            ))}
        </div>
      ))}
      <button
        type="button"
        disabled={!asset}
        title={asset ? undefined : 'Give the node an asset key first'}
        onClick={() => commit([...specs, { name: newCheckName(specs, asset), asset }])}
      >
        Add a check
      </button>
      <p className="muted small">
        The script reports each result through Dagster Pipes:{' '}
        <code className="mono">
          context.report_asset_check(check_name=&quot;{specs[0]?.name ?? 'check'}&quot;, passed=…, metadata=
          {'{…}'}
          {keys.length > 1 ? ', asset_key="…"' : ''})
        </code>
        ; its metadata is what the designer shows when it fails.
      </p>
    </section>
  );
}

export function ChecksTab({ node }: { node: DesignerNode }) {
  const checks = useNodeChecks(node.id);
  const keys = useDesignerShallow((s) => {
    const previewed = s.preview.assets.filter((a) => a.nodeId === node.id).map((a) => a.key);
    return previewed.length > 0 ? previewed : (declaredAssetKeys(node) ?? []);
  });
  const editable = supportsCheckSpecs(node.data.component_type);
  return (
    <div className="checks-tab" data-testid="checks-tab">
      <section>
        <h3 className="small">Last results</h3>
        {checks.length === 0 ? (
          <p className="muted small">
            No checks at the last preview{editable ? ': add one below, then preview' : ''}.
          </p>
        ) : (
          checks.map((c) => <CheckResultRow key={c.key} check={c} />)
        )}
      </section>
      {editable ? (
        <SpecEditor node={node} keys={keys} />
      ) : (
        <p className="muted small">
          This component declares its checks itself (a dbt project's tests are asset checks); they show above
          after a preview.
        </p>
      )}
    </div>
  );
}
