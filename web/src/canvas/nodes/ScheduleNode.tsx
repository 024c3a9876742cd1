// A schedule on the canvas: when it runs (in words, and its next tick; an asset sensor: the asset it watches) and
// how many nodes it targets. It has only an outgoing handle: an edge from it to a node means "this schedule runs
// that node's assets", never a dependency.
import {
  describeCron,
  isAssetSensorComponentType,
  nextTicks,
  readAssetSensorAttributes,
  readScheduleAttributes,
} from '@designer/shared';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { useDesigner } from '../../store';
import type { DesignerNode } from '../../store/graph-ops';
import { ClockIcon, SensorIcon } from '../../ui/icons';

const ACCENT = '#b45309';

const nextFormat = (timeZone: string) =>
  new Intl.DateTimeFormat(undefined, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

function ScheduleNodeView({ id, data, selected }: NodeProps<DesignerNode>) {
  const schedule = readScheduleAttributes(data.attributes);
  const targets = useDesigner((s) => s.edges.filter((e) => e.source === id).length);
  const problems = useDesigner((s) => s.preview.problems.filter((p) => p.nodeId === id).length);
  const next = useMemo(
    () => nextTicks(schedule.cron_schedule, schedule.execution_timezone, new Date(), 1)[0],
    [schedule.cron_schedule, schedule.execution_timezone],
  );
  const sensor = isAssetSensorComponentType(data.component_type);
  const watched = sensor ? readAssetSensorAttributes(data.attributes).asset_key : '';
  const words = sensor
    ? `when ${watched || '(no asset)'} materializes`
    : describeCron(schedule.cron_schedule, schedule.execution_timezone);
  const target = [
    targets > 0 ? `${targets} node${targets === 1 ? '' : 's'}` : '',
    schedule.asset_selection ? schedule.asset_selection : '',
  ]
    .filter(Boolean)
    .join(' + ');
  return (
    <div
      className={`component-node schedule-node${selected ? ' selected' : ''}`}
      data-testid={`node-${data.label}`}
      style={{ ['--accent' as string]: ACCENT }}
    >
      <div className="node-badge" style={{ background: ACCENT }} aria-hidden>
        {sensor ? <SensorIcon /> : <ClockIcon />}
      </div>
      <div className="node-body">
        <div className="node-label" title={sensor ? 'Asset sensor' : 'Schedule'}>
          {data.label}
        </div>
        <div className="node-type" data-testid="schedule-words">
          {words}
        </div>
        <div className="node-type" title={sensor ? 'What it runs' : "Next tick, in the schedule's time zone"}>
          {sensor
            ? ''
            : `${next ? `next ${nextFormat(schedule.execution_timezone).format(next)}` : 'never ticks'} · `}
          {target || 'no target'}
          {schedule.default_status === 'RUNNING' ? ' · on' : ''}
        </div>
      </div>
      {problems > 0 && (
        <span className="node-pill node-status warning">
          {problems} problem{problems > 1 ? 's' : ''}
        </span>
      )}
      <Handle type="source" position={Position.Right} className="handle" aria-label="Targets" />
    </div>
  );
}

export const ScheduleNode = memo(ScheduleNodeView);
