// The rjsf form, loaded the first time a form is shown: @rjsf/core, its validator (ajv) and the designer's fields
// are a large part of the app's script, and nothing on the canvas needs them, so opening a project does not
// parse them (issue 18: open < 1 s at 1,000 nodes). The form itself is ./RjsfForm.tsx.
import type { FormProps } from '@rjsf/core';
import { useEffect, useState } from 'react';

export type LazyFormProps = Omit<FormProps, 'validator' | 'widgets' | 'fields'> & {
  /** 'union': the attributes' validator that reports one line per chosen anyOf branch; else rjsf's ajv8. */
  validation?: 'union' | 'plain';
  /** The designer's widgets (secret), and for a component's attributes also its fields (deps, unions). */
  extras?: 'none' | 'widgets' | 'attributes';
};

type RjsfModule = typeof import('./RjsfForm');
let loaded: RjsfModule | null = null;
let loading: Promise<RjsfModule> | null = null;

/** Starts loading the form's code (once), so it is there when a form is first drawn. */
export function preloadForm(): Promise<RjsfModule> {
  loading ??= import('./RjsfForm').then(
    (m) => (loaded = m),
    (error: unknown) => {
      loading = null; // tried again by the next form shown
      throw error;
    },
  );
  return loading;
}

/**
 * The form, or a quiet line while its code loads. Not React.lazy + Suspense: React holds a Suspense fallback for
 * at least 300 ms once shown, so even a preloaded form would flash "Loading…"; this draws it at once when loaded.
 */
export function LazyForm(props: LazyFormProps) {
  const [module, setModule] = useState(loaded);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (module) return;
    let live = true;
    preloadForm().then(
      (m) => live && setModule(m),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [module]);
  if (module) return <module.default {...props} />;
  return (
    <div className="muted pad" aria-busy={!failed}>
      {failed ? 'The form could not be loaded: reload the page.' : 'Loading the form…'}
    </div>
  );
}
