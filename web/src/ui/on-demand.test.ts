import { describe, expect, it } from 'vitest';
import { onDemand } from './on-demand';

describe('onDemand', () => {
  it('loads once however often it is asked', async () => {
    let calls = 0;
    const lazy = onDemand(async () => ({ n: ++calls }));
    const [a, b] = await Promise.all([lazy.preload(), lazy.preload()]);
    expect(a).toBe(b);
    expect(await lazy.preload()).toBe(a);
    expect(calls).toBe(1);
  });

  it('tries again after a failed load, and keeps what the retry loaded', async () => {
    let calls = 0;
    const lazy = onDemand(async () => {
      calls += 1;
      if (calls === 1) throw new Error('chunk not found');
      return { ok: true };
    });
    await expect(lazy.preload()).rejects.toThrow('chunk not found');
    expect(await lazy.preload()).toEqual({ ok: true });
    await lazy.preload();
    expect(calls).toBe(2);
  });
});
