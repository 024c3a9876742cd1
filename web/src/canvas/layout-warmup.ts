// When the ELK worker warms up (layout.ts, warmLayout): a moment after a big project opens, once the page is idle
// and no pointer gesture or wheel happened for half a second, so that on a machine with few cores its CPU does not
// compete with a drag or a pan. Typing does not hold it back (Find's typing often comes just before a Tidy up).
// A press held longer than a click, a drag or a wheel while it runs stops the worker; it warms up again at the
// next quiet moment (a few times at most).
import { abandonWarmup, warmLayout, warmupDone } from './layout';
import { onIdle } from '../ui/idle';

export const WARMUP_TIMING = {
  /** After the project opens (its first render and the opening view come first). */
  afterOpen: 1500,
  /** After the last pointer gesture or wheel (a pause between two gestures is often shorter). */
  quiet: 500,
  /** A press held longer than this is a gesture (a click, on a node or Tidy up, is shorter). */
  click: 150,
  /** Warm-ups stopped by a gesture before giving up (the first Tidy up then starts the worker). */
  attempts: 5,
} as const;

/** Pixels the pointer moves with a button held before it is a drag, not a click. */
const DRAG_DISTANCE = 4;

export interface Activity {
  openedAt: number;
  lastInputAt: number;
  pointerDown: boolean;
}

/** Milliseconds to wait before the warm-up may start (0: it may start now). */
export function warmupWait(now: number, activity: Activity): number {
  if (activity.pointerDown) return WARMUP_TIMING.quiet;
  return Math.max(
    0,
    activity.openedAt + WARMUP_TIMING.afterOpen - now,
    activity.lastInputAt + WARMUP_TIMING.quiet - now,
  );
}

/** What the schedule drives: layout.ts's warm-up, or a test's stand-in. */
export interface Warmup {
  warm: () => Promise<void>;
  abandon: () => boolean;
  done: () => boolean;
}
const layoutWarmup: Warmup = { warm: warmLayout, abandon: abandonWarmup, done: warmupDone };

/**
 * Warms the worker up at the next quiet moment, watching the pointer and the wheel on `target`; returns a
 * function that stops waiting (and listening).
 */
export function scheduleLayoutWarmup(
  target: EventTarget = window,
  warmup: Warmup = layoutWarmup,
): () => void {
  const activity: Activity = { openedAt: performance.now(), lastInputAt: -Infinity, pointerDown: false };
  let attempts = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cancelIdle: (() => void) | null = null;

  const check = () => {
    clearTimeout(timer);
    cancelIdle?.();
    cancelIdle = null;
    const wait = warmupWait(performance.now(), activity);
    if (wait > 0) {
      timer = setTimeout(check, wait);
      return;
    }
    cancelIdle = onIdle(() => {
      cancelIdle = null;
      if (warmupWait(performance.now(), activity) > 0) check();
      else void warmup.warm().then(() => warmup.done() && stop());
    });
  };
  const input = () => {
    activity.lastInputAt = performance.now();
  };
  const gesture = () => {
    input();
    if (warmup.abandon()) {
      attempts += 1;
      if (attempts < WARMUP_TIMING.attempts) check();
      else stop();
    }
  };
  let from = { x: 0, y: 0 };
  let held: ReturnType<typeof setTimeout> | undefined;
  const down = (event: PointerEvent) => {
    activity.pointerDown = true;
    from = { x: event.clientX, y: event.clientY };
    input();
    // A press held longer than a click is a gesture even before it moves: on a loaded machine a group member's
    // drag moved 1.4 s after its press.
    clearTimeout(held);
    held = setTimeout(() => activity.pointerDown && gesture(), WARMUP_TIMING.click);
  };
  const up = () => {
    activity.pointerDown = false;
    clearTimeout(held);
    input();
  };
  // A drag moves the pointer with a button held; a click (on Tidy up itself, say) barely does.
  const move = (event: PointerEvent) => {
    if (event.buttons !== 0 && Math.hypot(event.clientX - from.x, event.clientY - from.y) > DRAG_DISTANCE)
      gesture();
  };
  const options = { capture: true, passive: true } as const;
  const listeners: Array<[string, EventListener]> = [
    ['pointerdown', down as EventListener],
    ['pointerup', up],
    ['pointercancel', up],
    ['pointermove', move as EventListener],
    ['wheel', gesture],
  ];
  for (const [type, listener] of listeners) target.addEventListener(type, listener, options);
  function stop() {
    clearTimeout(timer);
    clearTimeout(held);
    cancelIdle?.();
    cancelIdle = null;
    for (const [type, listener] of listeners) target.removeEventListener(type, listener, options);
  }
  timer = setTimeout(check, WARMUP_TIMING.afterOpen);
  return stop;
}
