// Declarative automation per node: the choices of the Automation tab and the `automation_condition` template they
// write (into the node's translation, which sync puts on each asset or in a `*` post-processing rule). Dagster 1.13
// resolves `{{ dg.AutomationCondition.… }}`; the older `automation_condition.eager()` scope is deprecated but read.

export type AutomationChoice =
  | { kind: 'none' }
  | { kind: 'eager' }
  | { kind: 'on_missing' }
  | { kind: 'on_cron'; cron: string; timezone: string }
  | { kind: 'custom'; expression: string };

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The template written as `automation_condition`, or undefined for none. */
export function automationTemplate(choice: AutomationChoice): string | undefined {
  switch (choice.kind) {
    case 'none':
      return undefined;
    case 'eager':
      return '{{ dg.AutomationCondition.eager() }}';
    case 'on_missing':
      return '{{ dg.AutomationCondition.on_missing() }}';
    case 'on_cron':
      return choice.timezone && choice.timezone !== 'UTC'
        ? `{{ dg.AutomationCondition.on_cron(${quote(choice.cron)}, ${quote(choice.timezone)}) }}`
        : `{{ dg.AutomationCondition.on_cron(${quote(choice.cron)}) }}`;
    case 'custom': {
      const e = choice.expression.trim();
      if (e === '') return undefined;
      return /^\{\{[\s\S]*\}\}$/.test(e) ? e : `{{ ${e} }}`;
    }
  }
}

const SCOPE = String.raw`(?:dg\.AutomationCondition|automation_condition)`;
const ARG = String.raw`'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"`;

export function automationChoiceOf(template: unknown): AutomationChoice {
  if (typeof template !== 'string' || template.trim() === '') return { kind: 'none' };
  const inner = /^\{\{\s*([\s\S]*?)\s*\}\}$/.exec(template.trim())?.[1];
  if (inner !== undefined) {
    if (new RegExp(`^${SCOPE}\\.eager\\(\\)$`).test(inner)) return { kind: 'eager' };
    if (new RegExp(`^${SCOPE}\\.on_missing\\(\\)$`).test(inner)) return { kind: 'on_missing' };
    const cron = new RegExp(`^${SCOPE}\\.on_cron\\(\\s*(?:${ARG})\\s*(?:,\\s*(?:${ARG})\\s*)?\\)$`).exec(
      inner,
    );
    if (cron)
      return { kind: 'on_cron', cron: cron[1] ?? cron[2] ?? '', timezone: cron[3] ?? cron[4] ?? 'UTC' };
  }
  return { kind: 'custom', expression: inner ?? template.trim() };
}

/** The node badge: a few words on when its assets run by themselves, or null. */
export function automationBadge(template: unknown): string | null {
  const choice = automationChoiceOf(template);
  switch (choice.kind) {
    case 'none':
      return null;
    case 'eager':
      return 'eager';
    case 'on_missing':
      return 'on missing';
    case 'on_cron':
      return `cron ${choice.cron}`;
    case 'custom':
      return 'custom condition';
  }
}
