// The templates "New project" offers (issue 18): one radio per template, its one-line description under it.
import type { PipelineTemplateSummary } from '@designer/shared';
import { useEffect, useState } from 'react';
import { listTemplates } from './template-actions';

export function TemplatePicker({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (id: string | null) => void;
}) {
  const [templates, setTemplates] = useState<PipelineTemplateSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    listTemplates()
      .then((list) => {
        if (!live) return;
        setTemplates(list);
        if (value === null && list[0]) onChange(list[0].id);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
    // Loaded once per dialog; `value` only picks the first template when nothing is chosen yet.
  }, []);
  if (error)
    return <p className="muted small">Templates are not available ({error}): the project starts empty.</p>;
  if (!templates)
    return (
      <p className="muted small">
        <span className="spinner" /> Loading templates…
      </p>
    );
  return (
    <fieldset className="template-picker" aria-label="Start from">
      <legend>Start from</legend>
      {templates.map((t) => (
        <label
          key={t.id}
          className={`template-option${value === t.id ? ' chosen' : ''}`}
          data-testid={`template-${t.id}`}
        >
          <input
            type="radio"
            name="template"
            value={t.id}
            checked={value === t.id}
            onChange={() => onChange(t.id)}
          />
          <span className="template-text">
            <span className="template-title">{t.title}</span>
            <span className="template-description">{t.description}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
