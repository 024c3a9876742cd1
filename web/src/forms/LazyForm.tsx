// The rjsf form, loaded the first time a form is shown: @rjsf/core, its validator (ajv) and the designer's fields
// are a large part of the app's script, and nothing on the canvas needs them, so opening a project does not
// parse them (issue 18: open < 1 s at 1,000 nodes). The form itself is ./RjsfForm.tsx.
import type { FormProps } from '@rjsf/core';
import { onDemand } from '../ui/on-demand';

export type LazyFormProps = Omit<FormProps, 'validator' | 'widgets' | 'fields'> & {
  /** 'union': the attributes' validator that reports one line per chosen anyOf branch; else rjsf's ajv8. */
  validation?: 'union' | 'plain';
  /** The designer's widgets (secret), and for a component's attributes also its fields (deps, unions). */
  extras?: 'none' | 'widgets' | 'attributes';
};

const form = onDemand(() => import('./RjsfForm'));

/** Starts loading the form's code (once), so it is there when a form is first drawn. */
export const preloadForm = form.preload;

/** The form, or a quiet line while its code loads (drawn at once when already loaded: ui/on-demand.ts). */
export function LazyForm(props: LazyFormProps) {
  const { module, failed } = form.useModule();
  if (module) return <module.default {...props} />;
  return (
    <div className="muted pad" aria-busy={!failed}>
      {failed ? 'The form could not be loaded: reload the page.' : 'Loading the form…'}
    </div>
  );
}
