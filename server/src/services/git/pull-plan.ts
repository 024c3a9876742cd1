// A pull's plan: the remote branch fetched into a throw-away repository and each file compared three ways (the
// designer's files, the branch head, the base of the last push or pull): taken, merged, or a conflict.
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  pathProblem,
  type GitTarget,
  type PullFile,
  type PullPreview,
  type ProjectFile,
} from '@designer/shared';
import { AppError } from '../../errors.js';
import { isHiddenPath } from '../workspace-files.js';
import { handOverFiles, PROJECT_FILE_NAME } from '../zip-writer.js';
import { blob, blobId, gitLocal, isText, mergeFile, type Blob, type Tree } from './local.js';
import { baseOf } from './pull-base.js';
import type { GitPublisher } from './publisher.js';

/** The files a pull takes part in: what a push carries (no hidden or secret-looking names, no designer file). */
const pulled = (p: string) => !isHiddenPath(p) && p !== PROJECT_FILE_NAME && pathProblem(p) === null;

async function treeOf(dir: string, commit: string): Promise<Map<string, { id: string; mode: number }>> {
  const out = new Map<string, { id: string; mode: number }>();
  const { stdout } = await gitLocal(dir, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  for (const entry of stdout.toString('utf8').split('\0')) {
    const m = /^(\d+) blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
    // Links and submodules stay on the branch untouched, as a push leaves them.
    if (!m || (m[1] !== '100644' && m[1] !== '100755') || !pulled(m[3]!)) continue;
    out.set(m[3]!, { id: m[2]!, mode: m[1] === '100755' ? 0o755 : 0o644 });
  }
  return out;
}

/** One file whose content the pull would change (result undefined: deleted), or a conflict to resolve. */
export interface Merged {
  path: string;
  mine?: Blob;
  theirs?: Blob;
  result?: Blob;
  outcome: PullFile['outcome'];
  conflictText: string | null;
}

export interface Plan {
  head: string;
  base: string | null;
  fastForward: boolean;
  merged: Merged[];
  commits: PullPreview['commits'];
}

export async function planPull(
  git: GitPublisher,
  dataDir: string,
  project: ProjectFile,
  root: string,
  target: GitTarget,
  scratch: string,
): Promise<Plan> {
  const repo = path.join(scratch, 'repo');
  await fs.mkdir(repo);
  const fetched = await git.fetchBranch(project.id, target, repo);
  if (!fetched.head)
    throw new AppError(
      404,
      'branch_not_found',
      `The remote has no branch "${target.branch}".`,
      'Push the project first, or check the branch name.',
    );
  const head = fetched.head;
  let base = await baseOf(dataDir, project.id, target);
  if (base && (await gitLocal(repo, ['cat-file', '-t', base]).catch(() => null)) === null) base = null;
  const theirsTree = await treeOf(repo, head);
  const baseTree = base ? await treeOf(repo, base) : new Map<string, { id: string; mode: number }>();
  const mine: Tree = new Map(
    (await handOverFiles(project, root))
      .filter((f) => pulled(f.name))
      .map((f) => [f.name, { data: Buffer.from(f.data), mode: f.mode }]),
  );
  const paths = [...new Set([...mine.keys(), ...theirsTree.keys(), ...baseTree.keys()])].sort();
  const merged: Merged[] = [];
  let fastForward = true;
  for (const p of paths) {
    const m = mine.get(p);
    const t = theirsTree.get(p);
    const b = baseTree.get(p);
    const mineIs = (e: { id: string } | undefined) =>
      e === undefined ? m === undefined : m !== undefined && blobId(m.data, e.id.length) === e.id;
    if (!mineIs(b)) fastForward = false;
    if (mineIs(t)) continue; // the same on both sides
    if (t?.id === b?.id) continue; // only the designer changed it
    const theirs = t ? await blob(repo, t.id, t.mode) : undefined;
    if (mineIs(b)) {
      merged.push({ path: p, mine: m, theirs, result: theirs, outcome: 'theirs', conflictText: null });
      continue;
    }
    const baseBlob = b ? await blob(repo, b.id, b.mode) : undefined;
    if (m && theirs && isText(m.data) && isText(theirs.data) && isText(baseBlob?.data)) {
      const out = await mergeFile(scratch, m.data, baseBlob?.data ?? Buffer.alloc(0), theirs.data);
      const result = { data: out.text, mode: theirs.mode };
      merged.push(
        out.conflicts
          ? { path: p, mine: m, theirs, outcome: 'conflict', conflictText: out.text.toString('utf8') }
          : { path: p, mine: m, theirs, result, outcome: 'merged', conflictText: null },
      );
    } else merged.push({ path: p, mine: m, theirs, outcome: 'conflict', conflictText: null });
  }
  const range = base ? [`${base}..${head}`] : ['-n', '20', head];
  const log = await gitLocal(repo, ['log', '--no-color', '--format=%H%x1f%an%x1f%s', ...range]);
  const commits = log.stdout
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .slice(0, 50)
    .map((line) => {
      const [id, author, subject] = line.split('\x1f');
      return { id: id!, author: author ?? '', subject: subject ?? '' };
    });
  return { head, base, fastForward, merged, commits };
}
