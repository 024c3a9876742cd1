import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { autosaveScheduler } from './autosave';

describe('autosaveScheduler', () => {
  let held = false;
  let idle: (() => void)[] = [];
  const saves: number[] = [];
  const scheduler = () =>
    autosaveScheduler(() => saves.push(Date.now()), {
      delayMs: 500,
      heldRetryMs: 100,
      held: () => held,
      idle: (run) => {
        idle.push(run);
        return () => (idle = idle.filter((r) => r !== run));
      },
    });
  const runIdle = () => {
    const now = idle;
    idle = [];
    now.forEach((run) => run());
  };
  beforeEach(() => {
    vi.useFakeTimers();
    held = false;
    idle = [];
    saves.length = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('saves once, at the first idle moment after the delay since the last change', () => {
    const a = scheduler();
    a.changed();
    vi.advanceTimersByTime(400);
    a.changed(); // the wait starts again
    vi.advanceTimersByTime(499);
    expect(idle).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(idle).toHaveLength(1);
    expect(saves).toHaveLength(0);
    runIdle();
    expect(saves).toHaveLength(1);
  });

  it('waits while the pointer is held (a pan after a drop), then saves once it is released', () => {
    const a = scheduler();
    a.changed();
    held = true;
    vi.advanceTimersByTime(2000);
    expect(idle).toHaveLength(0);
    held = false;
    vi.advanceTimersByTime(100);
    expect(idle).toHaveLength(1);
    runIdle();
    expect(saves).toHaveLength(1);
  });

  it('a change while waiting for idle takes the pending save back and waits again; cancel drops it', () => {
    const a = scheduler();
    a.changed();
    vi.advanceTimersByTime(500);
    expect(idle).toHaveLength(1);
    a.changed();
    expect(idle).toHaveLength(0);
    vi.advanceTimersByTime(500);
    a.cancel();
    expect(idle).toHaveLength(0);
    vi.advanceTimersByTime(5000);
    runIdle();
    expect(saves).toHaveLength(0);
  });
});
