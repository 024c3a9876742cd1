// The Automation tab of a component node: when its assets materialize by themselves (declarative automation).
// The choice is written as the `automation_condition` template of the node's translation, which sync puts on each
// of its assets (Dagster 1.13 resolves `{{ dg.AutomationCondition.… }}`). Conditions are evaluated by Dagster's
// default_automation_condition_sensor, which Definitions add (stopped) when any asset has one; the designer turns it
// on once on the local instance (GET …/automation).
import {
  AUTOMATION_SENSOR,
  automationChoiceOf,
  automationTemplate,
  choiceOfCron,
  cronOfChoice,
  describeCron,
  type AutomationChoice,
} from '@designer/shared';
import { useEffect, useState } from 'react';
import { designerStore } from '../store';
import type { DesignerNode } from '../store/graph-ops';
import { InstigatorStatus } from './InstigatorStatus';
import { PartitionsSection } from './PartitionsSection';
import { CronBuilder, TimeZonePicker } from './ScheduleFields';

const SENSOR = AUTOMATION_SENSOR;

const KINDS: Array<[AutomationChoice['kind'], string, string]> = [
  ['none', 'None', 'Runs only when someone or a schedule runs it.'],
  [
    'eager',
    'When upstream updates',
    'Eager: materializes after any upstream asset is updated, or when missing.',
  ],
  ['on_cron', 'On a cron', 'Once per cron tick, after all its upstream assets have updated since the tick.'],
  [
    'on_missing',
    'When missing',
    'Materializes once when it has never been materialized (and its upstream exist).',
  ],
  ['custom', 'Custom condition', 'Any expression of dg.AutomationCondition (&, |, ~).'],
];

function write(node: DesignerNode, choice: AutomationChoice) {
  const translation: Record<string, unknown> = { ...(node.data.translation ?? {}) };
  const template = automationTemplate(choice);
  if (template === undefined) delete translation.automation_condition;
  else translation.automation_condition = template;
  designerStore.getState().updateNode(node.id, { translation }, `automation:${node.id}`);
}

export function AutomationTab({ node }: { node: DesignerNode }) {
  const choice = automationChoiceOf(node.data.translation?.automation_condition);
  const [custom, setCustom] = useState(choice.kind === 'custom' ? choice.expression : '');
  useEffect(() => {
    if (choice.kind === 'custom') setCustom(choice.expression);
  }, [choice]);
  const pick = (kind: AutomationChoice['kind']) => {
    if (kind === 'on_cron') write(node, { kind, cron: '0 6 * * *', timezone: 'UTC' });
    else if (kind === 'custom')
      write(node, {
        kind,
        expression: custom || 'dg.AutomationCondition.eager() & ~dg.AutomationCondition.in_progress()',
      });
    else write(node, { kind });
  };
  return (
    <div className="automation-tab" data-testid="automation-tab">
      <fieldset className="automation-choices">
        <legend className="small">Materialize the assets of {node.data.label} by themselves</legend>
        {KINDS.map(([kind, title, help]) => (
          <label key={kind} className="radio-row">
            <input
              type="radio"
              name={`automation-${node.id}`}
              checked={choice.kind === kind}
              onChange={() => pick(kind)}
            />
            <span>
              {title}
              <span className="muted small"> — {help}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {choice.kind === 'on_cron' && (
        <>
          <CronBuilder
            choice={choiceOfCron(choice.cron)}
            onChange={(c) => write(node, { ...choice, cron: cronOfChoice(c) })}
          />
          <TimeZonePicker
            value={choice.timezone}
            onChange={(timezone) => write(node, { ...choice, timezone })}
          />
          <p className="small">Each tick {describeCron(choice.cron, choice.timezone)}.</p>
        </>
      )}
      {choice.kind === 'custom' && (
        <label className="field">
          <span>Condition (Python expression Dagster evaluates, dg in scope)</span>
          <textarea
            aria-label="Automation condition"
            className="mono"
            rows={3}
            value={custom}
            onChange={(e) => setCustom(e.target.value)}
            onBlur={() => write(node, { kind: 'custom', expression: custom })}
          />
        </label>
      )}
      {choice.kind !== 'none' && (
        <>
          <p className="muted small">
            Written as <span className="mono">{automationTemplate(choice)}</span> on every asset of this node.
            Dagster evaluates it with its automation sensor ({SENSOR}), which it adds stopped; the designer
            turns it on once on the local instance (a choice made there, on or off, stays). Elsewhere, turn it
            on in Dagster's UI.
          </p>
          <InstigatorStatus kind="sensor" name={SENSOR} />
        </>
      )}
      <PartitionsSection node={node} />
    </div>
  );
}
