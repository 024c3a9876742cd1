// The Partitions section of a node's Automation tab: which slice of data each run of its assets covers. The choice
// is written as the `partitions_def` of the node's translation (sync puts it on each asset, like the automation
// condition); a dbt node can pass the partition to dbt as vars through its cli_args.
import {
  dbtCliArgsFor,
  isDbtComponent,
  nodePartitionsDef,
  partitionsChoiceOf,
  partitionsDefOf,
  partitionsProblems,
  withPartitions,
  type PartitionsChoice,
} from '@designer/shared';
import { useEffect, useState } from 'react';
import './partitions.css';
import YAML from 'yaml';
import { designerStore } from '../store';
import type { DesignerNode } from '../store/graph-ops';
import { TimeZonePicker } from './ScheduleFields';
import { defaultStartDate, START_DATE_NOTE } from './partition-start';

type Kind = PartitionsChoice['kind'];
const KINDS: Array<[Kind, string]> = [
  ['none', 'None'],
  ['daily', 'Daily'],
  ['hourly', 'Hourly'],
  ['weekly', 'Weekly'],
  ['monthly', 'Monthly'],
  ['static', 'Static list'],
];

function starting(kind: Kind, previous: PartitionsChoice): PartitionsChoice {
  if (kind === 'none') return { kind };
  if (kind === 'custom') return previous;
  if (kind === 'static') return { kind, keys: previous.kind === 'static' ? previous.keys : ['a', 'b'] };
  const time = 'startDate' in previous ? previous : null;
  return {
    kind,
    startDate: time?.startDate.slice(0, 10) || defaultStartDate(kind),
    timezone: time?.timezone ?? 'UTC',
    endOffset: time?.endOffset ?? 0,
  };
}

function write(node: DesignerNode, choice: PartitionsChoice, dbtVars: boolean) {
  const next = withPartitions(node.data, choice);
  const patch: Partial<DesignerNode['data']> = { translation: next.translation, attributes: next.attributes };
  if (next.post_processing) patch.post_processing = next.post_processing;
  if (isDbtComponent(node.data.component_type) && (dbtVars || choice.kind === 'none'))
    patch.attributes = {
      ...next.attributes,
      cli_args: dbtCliArgsFor(next.attributes.cli_args, choice).cliArgs,
    };
  designerStore.getState().updateNode(node.id, patch, `partitions:${node.id}`);
}

export function PartitionsSection({ node }: { node: DesignerNode }) {
  const saved = partitionsChoiceOf(nodePartitionsDef(node.data));
  const [draft, setDraft] = useState<PartitionsChoice>(saved);
  const savedText = JSON.stringify(saved);
  useEffect(() => setDraft(JSON.parse(savedText) as PartitionsChoice), [savedText]);
  const dbt = isDbtComponent(node.data.component_type);
  const cliArgs = JSON.stringify(node.data.attributes.cli_args ?? null);
  const dbtVars = dbt && /partition_(time_window|key)/.test(cliArgs);
  const problems = partitionsProblems(draft);
  const change = (choice: PartitionsChoice) => {
    setDraft(choice);
    if (partitionsProblems(choice).length === 0)
      write(node, choice, dbtVars || (dbt && saved.kind === 'none'));
  };
  const [keysText, setKeysText] = useState(draft.kind === 'static' ? draft.keys.join('\n') : '');
  useEffect(() => {
    if (draft.kind === 'static') setKeysText(draft.keys.join('\n'));
  }, [draft]);
  const written = partitionsDefOf(draft);

  return (
    <section className="partitions-section" aria-label="Partitions" data-testid="partitions-section">
      <h3>Partitions</h3>
      <p className="muted small">
        Which slice of data each run of {node.data.label}'s assets covers. Partitioned assets are run one
        partition (or a range) at a time: the Run dialog backfills them.
      </p>
      <label className="field">
        <span>Partitioned</span>
        <select
          aria-label="Partitions"
          value={draft.kind}
          onChange={(e) => change(starting(e.target.value as Kind, draft))}
        >
          {draft.kind === 'custom' && <option value="custom">As written in defs.yaml</option>}
          {KINDS.map(([kind, label]) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {'startDate' in draft && (
        <>
          <label className="field">
            <span>
              Start date ({draft.kind === 'hourly' ? 'YYYY-MM-DD or YYYY-MM-DD-HH:MM' : 'YYYY-MM-DD'})
            </span>
            <input
              aria-label="Start date"
              className="mono"
              value={draft.startDate}
              onChange={(e) => change({ ...draft, startDate: e.target.value.trim() })}
            />
          </label>
          {draft.kind in START_DATE_NOTE &&
            draft.startDate === defaultStartDate(draft.kind as keyof typeof START_DATE_NOTE) && (
              <p className="muted small" data-testid="start-date-note">
                {START_DATE_NOTE[draft.kind as keyof typeof START_DATE_NOTE]}.
              </p>
            )}
          <TimeZonePicker value={draft.timezone} onChange={(timezone) => change({ ...draft, timezone })} />
          <label className="field">
            <span>End offset (partitions past the last complete one; 1 includes the one under way)</span>
            <input
              aria-label="End offset"
              type="number"
              step={1}
              value={draft.endOffset}
              onChange={(e) => change({ ...draft, endOffset: Number(e.target.value) })}
            />
          </label>
        </>
      )}
      {draft.kind === 'static' && (
        <label className="field">
          <span>Partition keys (one a line)</span>
          <textarea
            aria-label="Partition keys"
            className="mono"
            rows={4}
            value={keysText}
            onChange={(e) => setKeysText(e.target.value)}
            onBlur={() =>
              change({
                kind: 'static',
                keys: keysText
                  .split('\n')
                  .map((k) => k.trim())
                  .filter((k) => k !== ''),
              })
            }
          />
        </label>
      )}
      {problems.map((p) => (
        <div key={p} className="field-error" role="alert">
          {p}
        </div>
      ))}
      {draft.kind === 'custom' && (
        <p className="muted small">
          This node's partitions are written in a form the designer does not edit (kept as is). Pick a kind to
          replace them.
        </p>
      )}
      {written !== undefined && problems.length === 0 && (
        <p className="muted small">
          Written as <span className="mono">partitions_def: {YAML.stringify(written).trim()}</span> on every
          asset of this node.
        </p>
      )}
      {dbt && draft.kind !== 'none' && (
        <div className="dbt-vars">
          <label className="radio-row">
            <input
              type="checkbox"
              aria-label="Pass the partition to dbt as vars"
              checked={dbtVars}
              onChange={(e) => {
                const next = withPartitions(node.data, draft);
                const cli = e.target.checked
                  ? dbtCliArgsFor(next.attributes.cli_args, draft).cliArgs
                  : dbtCliArgsFor(next.attributes.cli_args, { kind: 'none' }).cliArgs;
                designerStore
                  .getState()
                  .updateNode(
                    node.id,
                    { attributes: { ...next.attributes, cli_args: cli } },
                    `partitions:${node.id}`,
                  );
              }}
            />
            <span>Pass the partition to dbt as vars (cli_args)</span>
          </label>
          <p className="muted small">{dbtCliArgsFor(node.data.attributes.cli_args, draft).note}</p>
        </div>
      )}
    </section>
  );
}
