// A labelled text input of the dialogs: a visible caption, an accessible name, and the value as a string.
import type { InputHTMLAttributes, ReactNode } from 'react';

export function TextField({
  caption,
  label,
  value,
  onChange,
  wide = false,
  ...input
}: {
  caption: ReactNode;
  /** The accessible name (what tests and screen readers find the field by). */
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Spans both columns of a two-column form. */
  wide?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'aria-label'>) {
  return (
    <label className={wide ? 'field wide-field' : 'field'}>
      <span>{caption}</span>
      <input {...input} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}
