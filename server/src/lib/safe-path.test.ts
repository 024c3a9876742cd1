// The containment primitive and the path rule, on real folders and links.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathProblem } from '@designer/shared';
import { isTempFile, sweepTempFiles, writeFileInside } from '../services/atomic-file.js';
import { copyTree, dropUnsafeEntries, realPathInside, renameInside } from './safe-path.js';

let base: string;
let root: string;
let outside: string;

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'safe-path-'));
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  mkdirSync(path.join(root, 'src', 'defs', 'a'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(root, 'src', 'defs', 'a', 'defs.yaml'), 'type: x\n');
  writeFileSync(path.join(outside, 'victim.txt'), 'untouched\n');
  symlinkSync(outside, path.join(root, 'src', 'defs', 'out'));
  symlinkSync('a', path.join(root, 'src', 'defs', 'alias'));
  symlinkSync(path.join(outside, 'victim.txt'), path.join(root, 'victim.txt'));
  symlinkSync(path.join(outside, 'nowhere'), path.join(root, 'dangling'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('realPathInside', () => {
  it.each([
    ['an existing file', 'src/defs/a/defs.yaml', 'src/defs/a/defs.yaml'],
    ['a new file in new folders', 'src/defs/b/c/new.py', 'src/defs/b/c/new.py'],
    ['a link to a folder inside', 'src/defs/alias/defs.yaml', 'src/defs/a/defs.yaml'],
  ])('accepts %s', async (_what, relative, real) => {
    expect(await realPathInside(root, path.join(root, relative))).toBe(path.join(root, real));
  });

  it.each([
    ['a climb with ..', '../outside/victim.txt', 'invalid_path'],
    ['a folder link out', 'src/defs/out', 'link_outside_project'],
    ['a new file under a folder link out', 'src/defs/out/x/new.py', 'link_outside_project'],
    ['a file link out', 'victim.txt', 'link_outside_project'],
    ['a dangling link', 'dangling', 'link_outside_project'],
    ['a new file under a dangling link', 'dangling/x.py', 'link_outside_project'],
  ])('refuses %s', async (_what, relative, code) => {
    await expect(realPathInside(root, path.join(root, relative))).rejects.toMatchObject({ code });
  });

  it('writeFileInside never writes through a link out, and writes inside', async () => {
    await expect(writeFileInside(root, path.join(root, 'src/defs/out/defs.yaml'), 'x')).rejects.toMatchObject(
      {
        code: 'link_outside_project',
      },
    );
    await expect(writeFileInside(root, path.join(root, 'victim.txt'), 'x')).rejects.toMatchObject({
      code: 'link_outside_project',
    });
    expect(readFileSync(path.join(outside, 'victim.txt'), 'utf8')).toBe('untouched\n');
    expect(existsSync(path.join(outside, 'defs.yaml'))).toBe(false);
    await writeFileInside(root, path.join(root, 'src/new/deep/file.py'), 'ok\n');
    expect(readFileSync(path.join(root, 'src/new/deep/file.py'), 'utf8')).toBe('ok\n');
  });

  it('renameInside moves a link itself (never its target) and refuses a target through a link out', async () => {
    await renameInside(root, path.join(root, 'src/defs/out'), path.join(root, '.designer/trash/n1'));
    expect(lstatSync(path.join(root, '.designer/trash/n1')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(outside, 'victim.txt'), 'utf8')).toBe('untouched\n');
    await renameInside(root, path.join(root, '.designer/trash/n1'), path.join(root, 'src/defs/out'));
    await expect(
      renameInside(root, path.join(root, 'src/defs/a'), path.join(root, 'src/defs/out/a')),
    ).rejects.toMatchObject({ code: 'link_outside_project' });
    expect(existsSync(path.join(root, 'src/defs/a/defs.yaml'))).toBe(true);
  });
});

describe('pathProblem (one rule for every path from a request)', () => {
  it.each([
    ['src/x.py', null],
    ['README.md', null],
    ['a b/ü.sql', null],
    ['', 'is empty'],
    ['/etc/passwd', 'relative'],
    ['a//b', 'empty part'],
    ['a/', 'empty part'],
    ['./a', '"."'],
    ['a/../b', '".."'],
    ['-rf', '"-"'],
    ['a/-x', '"-"'],
    ['a\\..\\x', 'not allowed'],
    ['c:x', 'not allowed'],
    ['a\0b', 'not allowed'],
    ['a\nb', 'not allowed'],
    ['a\u001bb', 'not allowed'],
    ['a\u007fb', 'not allowed'],
    ['x'.repeat(256), 'longer'],
  ])('%j → %s', (input, expected) => {
    const problem = pathProblem(input);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toContain(expected);
  });
});

describe('imports: copyTree and dropUnsafeEntries', () => {
  it('copies links as they are, passes pipes by without opening them, then drops what leads out', async () => {
    const source = path.join(base, 'source');
    mkdirSync(path.join(source, 'pkg'), { recursive: true });
    writeFileSync(path.join(source, 'pkg', 'a.py'), 'a\n');
    symlinkSync('a.py', path.join(source, 'pkg', 'alias.py'));
    symlinkSync(outside, path.join(source, 'pkg', 'out'));
    symlinkSync(path.join(source, 'pkg', 'a.py'), path.join(source, 'pkg', 'absolute.py'));
    execFileSync('mkfifo', [path.join(source, 'pkg', 'pipe')]);
    const target = path.join(base, 'copy');
    const skipped = await copyTree(source, target, () => true);
    expect(skipped).toEqual(['pkg/pipe was left out: it is a named pipe (FIFO), not a file.']);
    const dropped = await dropUnsafeEntries(target);
    expect(dropped.sort()).toEqual([
      expect.stringMatching(/^pkg\/absolute\.py was left out: it is a link to outside the project/),
      expect.stringMatching(/^pkg\/out was left out: it is a link to outside the project/),
    ]);
    expect(readlinkSync(path.join(target, 'pkg', 'alias.py'))).toBe('a.py');
    expect(existsSync(path.join(target, 'pkg', 'out'))).toBe(false);
    expect(readFileSync(path.join(outside, 'victim.txt'), 'utf8')).toBe('untouched\n');
  });
});

describe('temp files', () => {
  it('are recognised by name and swept, links not followed', async () => {
    const dir = path.join(base, 'sweep');
    mkdirSync(path.join(dir, 'a', '.venv'), { recursive: true });
    writeFileSync(path.join(dir, 'a', '.x.json.0123456789ab.designer.tmp'), '');
    writeFileSync(path.join(dir, 'a', '.y.py.0123456789ab.tmp'), '');
    writeFileSync(path.join(dir, 'a', 'keep.tmp'), '');
    writeFileSync(path.join(outside, '.z.py.0123456789ab.designer.tmp'), '');
    symlinkSync(outside, path.join(dir, 'a', 'link'));
    expect(isTempFile('.x.json.0123456789ab.designer.tmp')).toBe(true);
    expect(isTempFile('keep.tmp')).toBe(false);
    expect(await sweepTempFiles(dir)).toBe(2);
    expect(existsSync(path.join(dir, 'a', 'keep.tmp'))).toBe(true);
    expect(existsSync(path.join(outside, '.z.py.0123456789ab.designer.tmp'))).toBe(true);
  });
});
