import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processAlive } from '../lib/process-alive.js';

describe('processAlive', () => {
  it('is false for a killed process its parent has not reaped (a zombie), true while it runs', async () => {
    // A Python parent forks a child, prints its pid and never reaps it: once killed, the child is a zombie.
    const parent = spawn(
      'python3',
      [
        '-c',
        'import os, time\npid = os.fork()\nif pid == 0:\n    time.sleep(30)\n    os._exit(0)\nprint(pid, flush=True)\ntime.sleep(60)',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const pid = Number(
      await new Promise<string>((resolve) =>
        parent.stdout.once('data', (chunk: Buffer) => resolve(String(chunk))),
      ),
    );
    try {
      expect(processAlive(pid)).toBe(true);
      process.kill(pid, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(() => process.kill(pid, 0)).not.toThrow(); // still there, as a zombie
      expect(processAlive(pid)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('is true for this process', () => {
    expect(processAlive(process.pid)).toBe(true);
  });
});
