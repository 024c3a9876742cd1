// The server's structure, checked (README, "Server"): files that stay short, and every uv/Python/dg process
// started from one module (services/dagster-cli.ts; Git's own processes from the Git services).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.dirname(fileURLToPath(import.meta.url));
const MAX_LINES = 350;

/** Every TypeScript module under server/src (tests aside), by its path from there. */
const sources = new Map(
  readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => [f.split(path.sep).join('/'), readFileSync(path.join(SRC, f), 'utf8')] as const),
);

/** The modules over the limit, as `file: N lines`. */
const tooLong = (files: Map<string, string>) =>
  [...files]
    .map(([file, text]) => ({ file, lines: text.split('\n').length }))
    .filter((f) => f.lines > MAX_LINES)
    .map((f) => `${f.file}: ${f.lines} lines`);

/** The modules that can start a process: a value (not a type) imported from execa or child_process. */
const processStarters = (files: Map<string, string>) =>
  [...files]
    .filter(([, text]) => /^import (?!type )[^;]*from '(?:node:)?(?:child_process|execa)'/m.test(text))
    .map(([file]) => file)
    .sort();

describe('server architecture', () => {
  it(`no module is over ${MAX_LINES} lines (tests aside)`, () => {
    // The probe: the check sees every module, and a module one line over the limit fails it.
    expect(sources.size).toBeGreaterThan(100);
    expect(sources.has('routes/schemas.ts')).toBe(true);
    expect(tooLong(new Map([['probe.ts', 'x\n'.repeat(MAX_LINES)]]))).toEqual([
      `probe.ts: ${MAX_LINES + 1} lines`,
    ]);
    expect(tooLong(sources)).toEqual([]);
  });

  it('only dagster-cli.ts starts uv, Python and dg; the Git services start git', () => {
    expect(processStarters(new Map([['probe.ts', "import { execa } from 'execa';"]]))).toEqual(['probe.ts']);
    expect(processStarters(sources)).toEqual([
      'services/dagster-cli.ts',
      'services/git/local.ts',
      'services/git/target.ts',
      'services/history/git.ts',
    ]);
  });
});
