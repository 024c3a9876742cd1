import { describe, expect, it } from 'vitest';
import type { ComponentSummary } from '@designer/shared';
import { addComponent } from '../store/graph-ops';
import { withScheduleEntry } from './schedule-palette';

const entry = (type: string, category = 'dagster'): ComponentSummary => ({
  type,
  name: type.split('.').pop()!,
  module: type.split('.')[0]!,
  category,
  summary: '',
  scaffoldable: true,
});

describe('the Schedule entry of the palette', () => {
  it("comes first for an open project, and replaces the project's own listing of the component", () => {
    const catalog = [
      entry('dagster.PythonScriptComponent'),
      entry('shop.components.scheduled_job.ScheduledJobComponent', 'project'),
    ];
    expect(withScheduleEntry(catalog, 'shop').map((c) => [c.type, c.name, c.category])).toEqual([
      ['shop.components.scheduled_job.ScheduledJobComponent', 'Schedule', 'automation'],
      ['shop.components.asset_sensor_job.AssetSensorJobComponent', 'Asset sensor', 'automation'],
      ['dagster.PythonScriptComponent', 'PythonScriptComponent', 'dagster'],
    ]);
    expect(withScheduleEntry(catalog, undefined).map((c) => c.type)).toEqual([
      'dagster.PythonScriptComponent',
    ]);
  });

  it('adds a schedule node (type schedule, daily at 06:00 UTC, stopped) when dropped', () => {
    const { state, id } = addComponent(
      { nodes: [], edges: [] },
      { type: 'shop.components.scheduled_job.ScheduledJobComponent', name: 'Schedule' },
      { x: 0, y: 0 },
    );
    expect(state.nodes.find((n) => n.id === id)).toMatchObject({
      type: 'schedule',
      data: {
        label: 'schedule',
        attributes: { cron_schedule: '0 6 * * *', execution_timezone: 'UTC', default_status: 'STOPPED' },
      },
    });
  });

  it('adds an asset sensor node (type schedule, no watched asset yet, stopped) when dropped', () => {
    const { state, id } = addComponent(
      { nodes: [], edges: [] },
      { type: 'shop.components.asset_sensor_job.AssetSensorJobComponent', name: 'Asset sensor' },
      { x: 0, y: 0 },
    );
    expect(state.nodes.find((n) => n.id === id)).toMatchObject({
      type: 'schedule',
      data: { label: 'asset_sensor', attributes: { asset_key: '', default_status: 'STOPPED' } },
    });
  });
});
