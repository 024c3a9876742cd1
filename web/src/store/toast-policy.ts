// How long a toast stays, as a polished tool does it (VS Code, n8n): news fades, an error whose hint says what to
// do stays until it is closed, a plain error fades too but later, so a stack of stale errors never sits on the
// canvas. The same message again replaces the one shown instead of stacking a copy.
import type { Toast } from './types';

/** At most this many toasts at once (the oldest goes first). */
export const MAX_TOASTS = 3;

/** Milliseconds before a toast fades by itself; null: it stays until closed. */
export function toastLifetime(kind: Toast['kind'], hint?: string): number | null {
  if (kind !== 'error') return 4_000;
  return hint ? null : 10_000;
}

/** The toasts shown once `next` arrives: a toast with the same kind and message leaves, the stack stays short. */
export function withToast(shown: readonly Toast[], next: Toast): Toast[] {
  const others = shown.filter((t) => t.kind !== next.kind || t.message !== next.message);
  return [...others.slice(-(MAX_TOASTS - 1)), next];
}
