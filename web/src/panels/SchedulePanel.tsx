// The panel of a schedule node: when it runs (cron builder, time zone, the reading in words and the next 5 ticks;
// for an asset sensor, the asset it watches), whether it starts on, and what it runs (the nodes it has edges to, plus
// an asset selection checked against the last preview); then its state on the local instance.
import {
  choiceOfCron,
  cronOfChoice,
  describeCron,
  isAssetSensorComponentType,
  nextTicks,
  parseCron,
  readScheduleAttributes,
  scheduleJobName,
  selectionProblems,
  type AssetSensorAttributes,
  type CronChoice,
  type ScheduleAttributes,
} from '@designer/shared';
import { useEffect, useMemo, useState } from 'react';
import { designerStore, useDesigner, useDesignerShallow } from '../store';
import type { DesignerNode } from '../store/graph-ops';
import { CronBuilder, TimeZonePicker } from './ScheduleFields';
import { InstigatorStatus } from './InstigatorStatus';
import { NodeNameField } from './NodeNameField';
import { ClockIcon, SensorIcon } from '../ui/icons';
import { AssetSensorFields } from './AssetSensorFields';

function update(
  node: DesignerNode,
  patch: Partial<ScheduleAttributes> | Partial<AssetSensorAttributes>,
  key: string,
) {
  const next: Record<string, unknown> = { ...node.data.attributes, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined || v === '') delete next[k];
  designerStore.getState().updateNode(node.id, { attributes: next }, `schedule:${key}:${node.id}`);
}

function Targets({ node, selection }: { node: DesignerNode; selection: string }) {
  const { nodes, edges, assets, previewed } = useDesignerShallow((s) => ({
    nodes: s.nodes,
    edges: s.edges,
    assets: s.preview.assets,
    previewed: s.preview.status === 'done',
  }));
  const [text, setText] = useState(selection);
  useEffect(() => setText(selection), [selection]);
  const targets = edges.filter((e) => e.source === node.id).map((e) => nodes.find((n) => n.id === e.target));
  const issues = useMemo(
    () => (previewed && text.trim() ? selectionProblems(text, assets) : []),
    [previewed, text, assets],
  );
  return (
    <section>
      <h3 className="small">Runs</h3>
      {targets.length === 0 ? (
        <p className="muted small">
          No node connected: drag from this node's right handle to the nodes it should run.
        </p>
      ) : (
        <ul className="small" data-testid="schedule-targets">
          {targets.map((t) =>
            t ? (
              <li key={t.id}>
                every asset of <span className="mono">{t.data.label}</span>
              </li>
            ) : null,
          )}
        </ul>
      )}
      <label className="field">
        <span>and the assets of a selection (group:…, kind:dbt, tag:…, +key)</span>
        <input
          aria-label="Asset selection"
          className="mono"
          value={text}
          placeholder="e.g. group:marts or kind:dbt"
          onChange={(e) => setText(e.target.value)}
          onBlur={() => update(node, { asset_selection: text.trim() || undefined }, 'selection')}
        />
      </label>
      {issues.map((i) => (
        <div key={i} className="field-error" role="alert">
          {i} at the last preview.
        </div>
      ))}
    </section>
  );
}

export function SchedulePanel({ node }: { node: DesignerNode }) {
  const sensor = isAssetSensorComponentType(node.data.component_type);
  const schedule = readScheduleAttributes(node.data.attributes);
  const choice = useMemo(() => choiceOfCron(schedule.cron_schedule), [schedule.cron_schedule]);
  const parsed = parseCron(schedule.cron_schedule);
  const ticks = useMemo(
    () => nextTicks(schedule.cron_schedule, schedule.execution_timezone, new Date(), 5),
    [schedule.cron_schedule, schedule.execution_timezone],
  );
  const problems = useDesigner((s) => s.preview.problems).filter((p) => p.nodeId === node.id);
  const inZone = useMemo(
    () =>
      new Intl.DateTimeFormat(undefined, {
        timeZone: schedule.execution_timezone,
        weekday: 'short',
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      }),
    [schedule.execution_timezone],
  );
  return (
    <div className="schedule-panel" data-testid="schedule-panel">
      <div className="props-header">
        <div className="props-title">
          <span className="palette-badge" style={{ background: '#b45309' }}>
            {sensor ? <SensorIcon /> : <ClockIcon />}
          </span>
          <div>
            <div className="props-type">{sensor ? 'Asset sensor' : 'Schedule'}</div>
            <div className="muted small">
              {sensor
                ? "a job of its targets' assets, run when a watched asset is materialized"
                : "a job of its targets' assets, run on a cron schedule"}
            </div>
          </div>
        </div>
        <NodeNameField
          node={node}
          caption={
            <>
              Name (the {sensor ? 'sensor' : 'schedule'}'s name; its job is {scheduleJobName(node.data.label)}
              )
            </>
          }
        />
      </div>
      <div className="props-body">
        {sensor && (
          <AssetSensorFields
            attributes={node.data.attributes}
            onChange={(patch, key) => update(node, patch, key)}
          />
        )}
        <section hidden={sensor}>
          <h3 className="small">When</h3>
          <CronBuilder
            choice={choice}
            onChange={(c: CronChoice) => update(node, { cron_schedule: cronOfChoice(c) }, 'cron')}
          />
          <TimeZonePicker
            value={schedule.execution_timezone}
            onChange={(zone) => update(node, { execution_timezone: zone }, 'zone')}
          />
          {parsed.ok ? (
            <p className="schedule-words" data-testid="schedule-reading">
              Runs {describeCron(schedule.cron_schedule, schedule.execution_timezone)}
            </p>
          ) : (
            <div className="field-error" role="alert">
              {parsed.error}
            </div>
          )}
          {ticks.length > 0 && (
            <>
              <div className="muted small">Next {ticks.length} ticks</div>
              <ol className="small mono schedule-ticks" data-testid="schedule-ticks">
                {ticks.map((t) => (
                  <li key={t.getTime()}>{inZone.format(t)}</li>
                ))}
              </ol>
            </>
          )}
        </section>
        <Targets node={node} selection={schedule.asset_selection ?? ''} />
        <section>
          <label className="toggle-row">
            <input
              type="checkbox"
              role="switch"
              aria-label="On when the project starts"
              checked={schedule.default_status === 'RUNNING'}
              onChange={(e) =>
                update(node, { default_status: e.target.checked ? 'RUNNING' : 'STOPPED' }, 'status')
              }
            />
            <span>
              On by default <span className="muted small">(default_status: {schedule.default_status})</span>
            </span>
          </label>
        </section>
        {problems.map((p) => (
          <div key={p.message} className={p.severity === 'error' ? 'field-error' : 'offer'} role="note">
            {p.message}
            {p.hint && <div className="muted small">{p.hint}</div>}
          </div>
        ))}
        <InstigatorStatus kind={sensor ? 'sensor' : 'schedule'} name={node.data.label} />
      </div>
    </div>
  );
}
