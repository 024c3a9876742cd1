// Work that can wait for the page to be idle (at most two seconds): requestIdleCallback where the browser has it,
// else the next task. Answers a function that cancels it.
export function onIdle(run: () => void): () => void {
  if (typeof globalThis.requestIdleCallback === 'function') {
    const id = globalThis.requestIdleCallback(run, { timeout: 2000 });
    return () => globalThis.cancelIdleCallback(id);
  }
  const id = setTimeout(run, 0);
  return () => clearTimeout(id);
}
