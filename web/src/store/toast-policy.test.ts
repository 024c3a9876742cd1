import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDesignerStore } from './index';

let store: ReturnType<typeof createDesignerStore>;
const messages = () => store.getState().toasts.map((t) => t.message);

beforeEach(() => {
  vi.useFakeTimers();
  store = createDesignerStore();
});
afterEach(() => vi.useRealTimers());

describe('toasts', () => {
  it('fades news after 4 s and a plain error after 10 s; an error with a hint (what to do) stays until closed', () => {
    store.getState().toast('info', 'Saved.');
    store.getState().toast('error', 'Preview failed: boom');
    store.getState().toast('error', 'The save conflicts.', 'Resolve the save conflict first.');
    vi.advanceTimersByTime(4_001);
    expect(messages()).toEqual(['Preview failed: boom', 'The save conflicts.']);
    vi.advanceTimersByTime(6_000);
    expect(messages()).toEqual(['The save conflicts.']);
    vi.advanceTimersByTime(600_000);
    expect(messages()).toEqual(['The save conflicts.']);
    store.getState().dismissToast(store.getState().toasts[0]!.id);
    expect(messages()).toEqual([]);
  });

  it('shows the same message once (the newest), and at most three toasts', () => {
    for (let i = 0; i < 3; i++) store.getState().toast('error', 'Preview failed: boom', 'Fix the script.');
    expect(messages()).toEqual(['Preview failed: boom']);
    for (const m of ['a', 'b', 'c', 'd']) store.getState().toast('error', m, 'hint');
    expect(messages()).toEqual(['b', 'c', 'd']);
    store.getState().clearToasts();
    expect(messages()).toEqual([]);
  });
});
