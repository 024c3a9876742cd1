// The "When" of an asset sensor node: the asset it watches (a key outside what it runs, suggested from the last
// preview's assets) and how often Dagster's daemon looks for a new materialization of it.
import { readAssetSensorAttributes, type AssetSensorAttributes } from '@designer/shared';
import { useEffect, useState } from 'react';
import { useDesigner } from '../store';

export function AssetSensorFields({
  attributes,
  onChange,
}: {
  attributes: Record<string, unknown>;
  onChange: (patch: Partial<AssetSensorAttributes>, key: string) => void;
}) {
  const sensor = readAssetSensorAttributes(attributes);
  const keys = useDesigner((s) => s.preview.assets.map((a) => a.key).join('\n'));
  const [watched, setWatched] = useState(sensor.asset_key);
  const [every, setEvery] = useState(String(sensor.minimum_interval_seconds ?? ''));
  useEffect(() => setWatched(sensor.asset_key), [sensor.asset_key]);
  useEffect(() => setEvery(String(sensor.minimum_interval_seconds ?? '')), [sensor.minimum_interval_seconds]);
  return (
    <section>
      <h3 className="small">When</h3>
      <label className="field">
        <span>a new materialization of the asset (its key, a/b)</span>
        <input
          aria-label="Watched asset"
          className="mono"
          list="sensor-asset-keys"
          value={watched}
          placeholder="e.g. raw/orders"
          onChange={(e) => setWatched(e.target.value)}
          onBlur={() => onChange({ asset_key: watched.trim() }, 'asset')}
        />
        <datalist id="sensor-asset-keys">
          {keys
            .split('\n')
            .filter(Boolean)
            .map((k) => (
              <option key={k} value={k} />
            ))}
        </datalist>
      </label>
      <label className="field">
        <span>looked for every (seconds; Dagster's default is 30)</span>
        <input
          aria-label="Minimum interval"
          type="number"
          min={1}
          value={every}
          placeholder="30"
          onChange={(e) => setEvery(e.target.value)}
          onBlur={() => {
            const n = Number(every);
            onChange(
              { minimum_interval_seconds: every && Number.isInteger(n) && n > 0 ? n : undefined },
              'interval',
            );
          }}
        />
      </label>
      <p className="muted small">
        Each materialization of {sensor.asset_key ? <span className="mono">{sensor.asset_key}</span> : 'it'}{' '}
        (by a run, a schedule or another project on the same instance) starts one run of the targets below.
      </p>
    </section>
  );
}
