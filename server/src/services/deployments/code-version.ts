// Is the deployment's code the designer's? The designer's last push of a project (recorded at push time, in
// the data folder: a commit id is no secret) against the commit the serving code location says it runs, which
// only some deployments tell: Dagster+ puts the deployed commit in the location's metadata (`commit_hash`), and
// an OSS code server started with `--container-image` shows that image (its tag may be the commit).
import type { DeploymentCodeVersion } from '@designer/shared';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { assertProjectId } from '../project-store.js';

export interface PushRecord {
  commit: string;
  branch: string;
  remote: string;
  at: string;
}

const FOLDER = '.pushes';

const fileOf = (dataDir: string, projectId: string) => {
  assertProjectId(projectId);
  return path.join(dataDir, FOLDER, `${projectId}.json`);
};

/** Remembers the designer's last push of a project (called by the push route once git pushed). */
export async function recordPush(dataDir: string, projectId: string, record: PushRecord): Promise<void> {
  await fs.mkdir(path.join(dataDir, FOLDER), { recursive: true });
  await writeFileAtomic(fileOf(dataDir, projectId), `${JSON.stringify(record)}\n`);
}

export async function lastPush(dataDir: string, projectId: string): Promise<PushRecord | undefined> {
  try {
    const raw = JSON.parse(await fs.readFile(fileOf(dataDir, projectId), 'utf8')) as Partial<PushRecord>;
    return typeof raw.commit === 'string' && typeof raw.branch === 'string'
      ? { commit: raw.commit, branch: raw.branch, remote: String(raw.remote ?? ''), at: String(raw.at ?? '') }
      : undefined;
  } catch {
    return undefined; // never pushed (or an unreadable record): the answer says the designer cannot compare
  }
}

const HEX_COMMIT = /^[0-9a-f]{7,64}$/i;

/** The commit a location says it serves, and which metadata key says so; undefined when it does not tell. */
export function servedCommit(
  metadata: ReadonlyArray<{ key: string; value: string }>,
): { commit: string; from: string } | undefined {
  const hash = metadata.find((m) => m.key === 'commit_hash')?.value.trim();
  if (hash && HEX_COMMIT.test(hash)) return { commit: hash.toLowerCase(), from: 'commit_hash' };
  const image = metadata.find((m) => m.key === 'image')?.value.trim();
  // registry/name:<tag>[@digest]: a tag that is (or ends in) a commit id, e.g. pipelines:3f9c2ab or sha-3f9c2ab.
  const tag = image?.split('@')[0]!.split('/').pop()?.split(':')[1];
  const commit = tag && /(?:^|[-_.])([0-9a-f]{7,64})$/i.exec(tag)?.[1];
  if (commit && /[a-f]/i.test(commit) && /\d/.test(commit))
    return { commit: commit.toLowerCase(), from: 'image' };
  return undefined;
}

const short = (commit: string) => commit.slice(0, 12);

/** Compares the designer's push with what the location serves; "unknown" says which side does not tell. */
export function compareCode(
  pushed: PushRecord | undefined,
  metadata: ReadonlyArray<{ key: string; value: string }>,
): DeploymentCodeVersion {
  const serving = servedCommit(metadata);
  const base = { ...(pushed ? { pushed } : {}), ...(serving ? { serving } : {}) };
  if (!pushed)
    return {
      status: 'unknown',
      ...base,
      message: serving
        ? `The deployment serves commit ${short(serving.commit)}; the designer has no push of this project on record to compare it with.`
        : 'The designer has no push of this project on record, and the deployment does not tell which commit it serves.',
    };
  if (!serving)
    return {
      status: 'unknown',
      ...base,
      message: `The deployment does not tell which commit its code location serves (no commit_hash or commit-tagged image in its metadata), so the designer cannot tell whether it runs ${short(pushed.commit)} pushed to ${pushed.branch}.`,
    };
  const a = pushed.commit.toLowerCase();
  const b = serving.commit;
  if (a.startsWith(b) || b.startsWith(a))
    return {
      status: 'current',
      ...base,
      message: `The deployment serves ${short(pushed.commit)}, the commit the designer pushed to ${pushed.branch}.`,
    };
  return {
    status: 'behind',
    ...base,
    message: `The deployment serves commit ${short(b)} (its ${serving.from}), not ${short(pushed.commit)} that the designer pushed to ${pushed.branch}.`,
  };
}
