// The cron builder (every hour / every day at / weekdays at / custom) and the IANA time-zone picker, shared by the
// schedule panel and the Automation tab's "on cron" condition.
import { parseCron, type CronChoice } from '@designer/shared';
import { useEffect, useMemo, useState } from 'react';
import { Segmented } from './Segmented';

const KINDS = [
  ['hourly', 'Every hour'],
  ['daily', 'Every day at'],
  ['weekdays', 'Weekdays at'],
  ['custom', 'Custom cron'],
] as const;

const timeOf = (c: CronChoice) => (c.kind === 'daily' || c.kind === 'weekdays' ? c.time : '06:00');

export function CronBuilder({ choice, onChange }: { choice: CronChoice; onChange: (c: CronChoice) => void }) {
  const [custom, setCustom] = useState(choice.kind === 'custom' ? choice.cron : '');
  useEffect(() => {
    if (choice.kind === 'custom') setCustom(choice.cron);
  }, [choice]);
  const pick = (kind: CronChoice['kind']) => {
    if (kind === 'hourly') onChange({ kind, minute: 0 });
    else if (kind === 'custom') onChange({ kind, cron: custom || '0 6 * * *' });
    else onChange({ kind, time: timeOf(choice) });
  };
  const error = choice.kind === 'custom' && custom.trim() ? parseCron(custom) : null;
  return (
    <div className="cron-builder">
      <Segmented label="Schedule" options={KINDS} value={choice.kind} onChange={pick} />
      {choice.kind === 'hourly' && (
        <label className="field inline">
          <span>at minute</span>
          <input
            aria-label="Minute of the hour"
            type="number"
            min={0}
            max={59}
            value={choice.minute}
            onChange={(e) =>
              onChange({ kind: 'hourly', minute: Math.min(59, Math.max(0, Number(e.target.value) || 0)) })
            }
          />
        </label>
      )}
      {(choice.kind === 'daily' || choice.kind === 'weekdays') && (
        <label className="field inline">
          <span>time</span>
          <input
            aria-label="Time of day"
            type="time"
            value={choice.time}
            onChange={(e) => e.target.value && onChange({ kind: choice.kind, time: e.target.value })}
          />
        </label>
      )}
      {choice.kind === 'custom' && (
        <label className="field">
          <span>cron (minute hour day-of-month month day-of-week)</span>
          <input
            aria-label="Cron expression"
            className="mono"
            value={custom}
            onChange={(e) => setCustom(e.target.value)}
            onBlur={() => onChange({ kind: 'custom', cron: custom })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
            }}
          />
          {error && !error.ok && <div className="field-error">{error.error}</div>}
        </label>
      )}
    </div>
  );
}

/** IANA zones the browser knows (Intl), UTC first. */
function zones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const all = intl.supportedValuesOf?.('timeZone') ?? [];
  return ['UTC', ...all.filter((z) => z !== 'UTC')];
}

export function TimeZonePicker({ value, onChange }: { value: string; onChange: (zone: string) => void }) {
  const list = useMemo(zones, []);
  return (
    <label className="field">
      <span>Time zone</span>
      <select aria-label="Time zone" value={value} onChange={(e) => onChange(e.target.value)}>
        {!list.includes(value) && <option value={value}>{value}</option>}
        {list.map((z) => (
          <option key={z} value={z}>
            {z}
          </option>
        ))}
      </select>
    </label>
  );
}
