// The palette's "Schedule" entry: not a component of the catalog but a node kind of the designer, written with the
// project's ScheduledJobComponent (added to the project by the first sync that has a schedule node).
import { isScheduleComponentType, scheduleComponentType, type ComponentSummary } from '@designer/shared';

export const SCHEDULE_CATEGORY = 'automation';

/** The catalog with the Schedule entry first (under "automation"), and the project's own listing of it dropped. */
export function withScheduleEntry(
  catalog: readonly ComponentSummary[],
  packageName: string | undefined,
): ComponentSummary[] {
  const rest = catalog.filter((c) => !isScheduleComponentType(c.type));
  if (!packageName) return rest;
  return [
    {
      type: scheduleComponentType(packageName),
      name: 'Schedule',
      module: 'cron schedule',
      category: SCHEDULE_CATEGORY,
      summary: 'Runs the assets of the nodes it connects to on a cron schedule (a job and its schedule).',
      scaffoldable: true,
    },
    ...rest,
  ];
}
