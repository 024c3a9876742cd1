// The base of a pull: the designer's last push or pull of the same remote branch (the newer of the two).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { GitTarget } from '@designer/shared';
import { writeFileAtomic } from '../atomic-file.js';
import { lastPush, type PushRecord } from '../deployments/code-version.js';
import { normaliseRemote } from './target.js';

export interface BaseRecord {
  commit: string;
  branch: string;
  remote: string;
  at: string;
}

const PULLS = '.pulls';
const pullFile = (dataDir: string, projectId: string) => path.join(dataDir, PULLS, `${projectId}.json`);

async function lastPull(dataDir: string, projectId: string): Promise<BaseRecord | undefined> {
  try {
    const raw = JSON.parse(await fs.readFile(pullFile(dataDir, projectId), 'utf8')) as BaseRecord;
    return typeof raw.commit === 'string' ? raw : undefined;
  } catch {
    return undefined;
  }
}

/** The commit both sides last agreed on for this branch, or null (never pushed or pulled here). */
export async function baseOf(dataDir: string, projectId: string, target: GitTarget): Promise<string | null> {
  const remote = normaliseRemote(target.remote);
  const candidates = [await lastPush(dataDir, projectId), await lastPull(dataDir, projectId)].filter(
    (r): r is PushRecord => r !== undefined && r.branch === target.branch && r.remote === remote,
  );
  candidates.sort((a, b) => b.at.localeCompare(a.at));
  return candidates[0]?.commit ?? null;
}

/** Remembers the head a pull took in, as the base of the next pull of that branch. */
export async function recordPull(dataDir: string, projectId: string, record: BaseRecord): Promise<void> {
  await fs.mkdir(path.join(dataDir, PULLS), { recursive: true });
  await writeFileAtomic(pullFile(dataDir, projectId), `${JSON.stringify(record)}\n`);
}
