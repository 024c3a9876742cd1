// The palette's "Schedule" and "Asset sensor" entries: not components of the catalog but node kinds of the designer,
// written with the project's ScheduledJobComponent / AssetSensorJobComponent (added by the first sync that has one).
import {
  assetSensorComponentType,
  runsTargetsComponentType,
  scheduleComponentType,
  type ComponentSummary,
} from '@designer/shared';

export const SCHEDULE_CATEGORY = 'automation';

/** The catalog with the Schedule and Asset sensor entries first (under "automation"), the project's own listing of them dropped. */
export function withScheduleEntry(
  catalog: readonly ComponentSummary[],
  packageName: string | undefined,
): ComponentSummary[] {
  const rest = catalog.filter((c) => !runsTargetsComponentType(c.type));
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
    {
      type: assetSensorComponentType(packageName),
      name: 'Asset sensor',
      module: 'asset sensor',
      category: SCHEDULE_CATEGORY,
      summary:
        'Runs the assets of the nodes it connects to each time an asset outside them is materialized (a job and its asset sensor).',
      scaffoldable: true,
    },
    ...rest,
  ];
}
