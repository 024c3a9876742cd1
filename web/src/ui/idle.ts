// Work that can wait for the page to be idle (at most `timeoutMs`, two seconds unless given): requestIdleCallback
// where the browser has it, else the next task. Answers a function that cancels it.
export function onIdle(run: () => void, timeoutMs = 2000): () => void {
  if (typeof globalThis.requestIdleCallback === 'function') {
    const id = globalThis.requestIdleCallback(run, { timeout: timeoutMs });
    return () => globalThis.cancelIdleCallback(id);
  }
  const id = setTimeout(run, 0);
  return () => clearTimeout(id);
}
