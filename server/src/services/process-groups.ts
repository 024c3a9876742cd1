// Process groups of a Dagster instance (`dg dev` and its children), read from Linux /proc: what runs in one,
// whether it is alive and ours, and stopping the whole group (SIGTERM, then SIGKILL).
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The command lines of a process group's members (Linux /proc; empty elsewhere). */
export function groupCommands(pgid: number): string[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so split after the last ")".
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      out.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim());
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** Is `pgid` a live process group of dg/dagster processes working in `root`? (Never kill a reused pid.) */
export function isDagsterGroup(pgid: number, root: string): boolean {
  if (!groupAlive(pgid)) return false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return false;
  }
  const resolvedRoot = path.resolve(root);
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const dagsterish = args.some((a) => /(^|\/)dg$/.test(a) || /dagster/.test(a));
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (dagsterish && (cwd === resolvedRoot || cwd.startsWith(`${resolvedRoot}${path.sep}`))) return true;
    } catch {
      // gone, or not ours to read
    }
  }
  return false;
}

export async function stopGroupOf(pgid: number): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pgid, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && groupAlive(pgid)) await sleep(200);
  if (groupAlive(pgid)) {
    signal('SIGKILL');
    const reaped = Date.now() + 5_000;
    while (Date.now() < reaped && groupAlive(pgid)) await sleep(100);
  }
}

export async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid) await stopGroupOf(child.pid);
}

export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
