// When an autosave runs: `delayMs` after the last change, but never while the pointer is held (a save serialises
// the whole graph, ~10 ms of the main thread at 1,000 nodes, which a drop followed at once by a pan would take from
// the pan's frames), and then at the next idle moment. A change in between starts the wait again.

export interface AutosaveTiming {
  delayMs: number;
  /** How often a save that found the pointer held looks again. */
  heldRetryMs: number;
  /** Whether the pointer is pressed now. */
  held: () => boolean;
  /** Runs `run` when the page is idle; answers a function that cancels it. */
  idle: (run: () => void) => () => void;
}

export interface Autosave {
  /** Something to save changed: the save runs once the wait is over. */
  changed(): void;
  /** No save pending any more (unmount). */
  cancel(): void;
}

export function autosaveScheduler(save: () => void, timing: AutosaveTiming): Autosave {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cancelIdle = () => {};
  const due = () => {
    timer = undefined;
    if (timing.held()) {
      timer = setTimeout(due, timing.heldRetryMs);
      return;
    }
    cancelIdle = timing.idle(() => {
      cancelIdle = () => {};
      save();
    });
  };
  const cancel = () => {
    clearTimeout(timer);
    timer = undefined;
    cancelIdle();
    cancelIdle = () => {};
  };
  return {
    changed() {
      cancel();
      timer = setTimeout(due, timing.delayMs);
    },
    cancel,
  };
}
