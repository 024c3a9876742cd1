// Code loaded the first time it is needed (the code editor, the forms), not when a project opens (issue 18: open
// < 1 s at 1,000 nodes). Not React.lazy + Suspense: React holds a Suspense fallback for at least 300 ms once shown,
// so even preloaded code would flash its "Loading…" line; this draws the loaded module at once.
import { useEffect, useState } from 'react';

export interface OnDemand<M> {
  /** Starts loading (once; again after a failure), e.g. while the page is idle, so it is there when drawn. */
  preload(): Promise<M>;
  /** The module once loaded (at once when it already is), and whether loading it failed. */
  useModule(): { module: M | null; failed: boolean };
}

export function onDemand<M>(load: () => Promise<M>): OnDemand<M> {
  let loaded: M | null = null;
  let loading: Promise<M> | null = null;
  const preload = () =>
    (loading ??= load().then(
      (m) => (loaded = m),
      (error: unknown) => {
        loading = null; // tried again by the next one shown
        throw error;
      },
    ));
  const useModule = () => {
    const [module, setModule] = useState(loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (module) return;
      let live = true;
      preload().then(
        (m) => live && setModule(() => m),
        () => live && setFailed(true),
      );
      return () => {
        live = false;
      };
    }, [module]);
    return { module, failed };
  };
  return { preload, useModule };
}
