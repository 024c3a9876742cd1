// A designer server in a process of its own, for benchmarks that must measure or kill it as a whole: a free port,
// its own process group (a signal reaches the loader and the server it starts), stderr kept for the error.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `command args` as the designer on `dataDir` and waits until /api/health answers. */
export async function startServerProcess(options: {
  command: string;
  args: string[];
  dataDir: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(options.command, options.args, {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      DESIGNER_DATA_DIR: options.dataDir,
      DESIGNER_PORT: String(port),
      DESIGNER_HOST: '127.0.0.1',
      DESIGNER_PREPARE_CATALOG: '0',
      DESIGNER_LOG_LEVEL: 'error',
      ...options.env,
    },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${stderr}`);
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, url };
    await new Promise((r) => setTimeout(r, 100));
  }
  signalServer({ child, url }, 'SIGKILL');
  throw new Error(`the server did not answer within ${timeoutMs / 1000} s: ${stderr}`);
}

/** Sends `signal` to the server's whole process group. */
export function signalServer(server: ServerProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-server.child.pid!, signal);
  } catch {
    // already gone
  }
}
