// What a hand-over really holds, byte for byte: the files of a folder as Buffers, the entries of an exported ZIP,
// and a bare Git repository seeded by "the team" with a folder's files, for import → export/push round trips.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What no hand-over carries (environments, Dagster's and the designer's state, caches, build output). */
const NEVER_HANDED_OVER =
  /(^|\/)(\.venv|\.git|\.designer|\.dg|\.dagster_home|__pycache__|\.local_defs_state|target|logs|dbt_packages)(\/|$)|\.(duckdb|duckdb\.wal|pyc)$/;

/** Every file below `dir` but what is never handed over: relative `/` path → bytes. */
export function filesBelow(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const rel = entry.split(path.sep).join('/');
    if (NEVER_HANDED_OVER.test(rel)) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isFile()) out.set(rel, readFileSync(full));
  }
  return out;
}

/** The files of a ZIP (unpacked with Python's zipfile, not our code), below its one top folder. */
export function zipEntries(zip: Buffer): { top: string; files: Map<string, Buffer> } {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'designer-unzip-'));
  try {
    const file = path.join(scratch, 'export.zip');
    writeFileSync(file, zip);
    const out = path.join(scratch, 'out');
    execFileSync('python3', ['-m', 'zipfile', '-e', file, out]);
    const [top, ...others] = readdirSync(out);
    if (!top || others.length > 0) throw new Error(`the ZIP holds ${readdirSync(out).join(', ')}`);
    return { top, files: filesBelow(path.join(out, top)) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A bare repository at `bare` whose `main` holds the files of `source` (minus what is never handed over). */
export function seedBareRepository(bare: string, source: string): void {
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch', 'main', bare]);
  const clone = mkdtempSync(path.join(os.tmpdir(), 'designer-team-'));
  try {
    execFileSync('git', ['init', '--quiet', '--initial-branch', 'main', clone]);
    cpSync(source, clone, {
      recursive: true,
      filter: (from) => !NEVER_HANDED_OVER.test(path.relative(source, from).split(path.sep).join('/')),
    });
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', clone, '-c', 'user.name=team', '-c', 'user.email=team@x', ...args]);
    git('add', '-A');
    git('commit', '--quiet', '-m', 'The team project');
    git('push', '--quiet', bare, 'main');
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
}

/** The bytes of `file` on `branch` of a bare repository. */
export function fileOnBranch(bare: string, branch: string, file: string): Buffer {
  return execFileSync('git', ['--git-dir', bare, 'show', `${branch}:${file}`]);
}
