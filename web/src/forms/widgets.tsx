// Custom rjsf widgets: a secret field offers an env-var reference instead of a stored value.
import { ENV_VAR_NAME_PATTERN } from '@designer/shared';
import type { WidgetProps } from '@rjsf/utils';
import { designerStore } from '../store';

export function SecretWidget({ id, value, onChange, label, name, disabled, readonly }: WidgetProps) {
  const text = typeof value === 'string' ? value : '';
  const isRef = /^\{\{\s*env\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/.test(text);
  const suggest = () => {
    const node = designerStore.getState().nodes.find((n) => n.selected);
    const prefix = node ? `${node.data.label}_` : '';
    return `${prefix}${name || label || 'secret'}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  };
  return (
    <div className="secret-widget">
      <input
        id={id}
        type={isRef || text === '' ? 'text' : 'password'}
        value={text}
        disabled={disabled || readonly}
        placeholder="{{ env.NAME }}"
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      />
      <button
        type="button"
        className="small"
        title="Reference an environment variable instead of storing the value"
        onClick={() => {
          const envName = window.prompt('Environment variable name', suggest());
          if (!envName || !ENV_VAR_NAME_PATTERN.test(envName)) return;
          onChange(`{{ env.${envName} }}`);
          designerStore.getState().addEnvRefs([envName]);
        }}
      >
        Use env var
      </button>
      {!isRef && text !== '' && (
        <div className="field-warning">
          This value would be written into the project. Prefer an environment variable.
        </div>
      )}
    </div>
  );
}

export const widgets = { secret: SecretWidget };
