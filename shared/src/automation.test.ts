import { describe, expect, it } from 'vitest';
import {
  automationBadge,
  automationChoiceOf,
  automationTemplate,
  type AutomationChoice,
} from './automation.js';
import { buildManagedDefs } from './defs-mapping.js';

describe('automation templates', () => {
  const rows: Array<[AutomationChoice, string | undefined, string | null]> = [
    [{ kind: 'none' }, undefined, null],
    [{ kind: 'eager' }, '{{ dg.AutomationCondition.eager() }}', 'eager'],
    [{ kind: 'on_missing' }, '{{ dg.AutomationCondition.on_missing() }}', 'on missing'],
    [
      { kind: 'on_cron', cron: '0 6 * * *', timezone: 'UTC' },
      "{{ dg.AutomationCondition.on_cron('0 6 * * *') }}",
      'cron 0 6 * * *',
    ],
    [
      { kind: 'on_cron', cron: '0 6 * * 1-5', timezone: 'Europe/Paris' },
      "{{ dg.AutomationCondition.on_cron('0 6 * * 1-5', 'Europe/Paris') }}",
      'cron 0 6 * * 1-5',
    ],
    [
      {
        kind: 'custom',
        expression: 'dg.AutomationCondition.eager() & ~dg.AutomationCondition.in_progress()',
      },
      '{{ dg.AutomationCondition.eager() & ~dg.AutomationCondition.in_progress() }}',
      'custom condition',
    ],
  ];
  it.each(rows)('%j ↔ %s', (choice, template, badge) => {
    expect(automationTemplate(choice)).toBe(template);
    expect(automationChoiceOf(template)).toEqual(choice);
    expect(automationBadge(template)).toBe(badge);
  });

  it("reads Dagster's deprecated automation_condition scope", () => {
    expect(automationChoiceOf('{{ automation_condition.eager() }}')).toEqual({ kind: 'eager' });
    expect(automationChoiceOf('{{ automation_condition.on_cron("0 * * * *") }}')).toEqual({
      kind: 'on_cron',
      cron: '0 * * * *',
      timezone: 'UTC',
    });
  });

  it('puts the condition on each declared asset, or in a * rule for other components', () => {
    const translation = { automation_condition: '{{ dg.AutomationCondition.eager() }}' };
    const script = buildManagedDefs(
      {
        id: 'a',
        data: {
          label: 'a',
          component_type: 'dagster.PythonScriptComponent',
          attributes: { assets: [{ key: 'a' }] },
          translation,
        },
      },
      [],
      { hasTranslationAttribute: false },
    );
    expect(script.defs.attributes.assets).toEqual([
      { key: 'a', automation_condition: translation.automation_condition },
    ]);
    const dbt = buildManagedDefs(
      {
        id: 'd',
        data: { label: 'd', component_type: 'dagster_dbt.DbtProjectComponent', attributes: {}, translation },
      },
      [],
      { hasTranslationAttribute: true },
    );
    expect(dbt.defs.post_processing?.assets).toEqual([
      {
        target: '*',
        operation: 'merge',
        attributes: { automation_condition: translation.automation_condition },
      },
    ]);
  });
});
