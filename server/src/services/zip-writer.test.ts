import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { handOverFiles } from './zip-writer.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'zip-writer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const project = {
  name: 'Shop',
  package_name: 'shop',
  env: [{ name: 'TOKEN', required: true }],
  graph: { nodes: [], edges: [] },
} as unknown as ProjectFile;

describe('handOverFiles', () => {
  it('hands over the workspace bytes and execute bits as they are, a README of its own only when there is none', async () => {
    mkdirSync(path.join(root, 'scripts'), { recursive: true });
    mkdirSync(path.join(root, '.venv'), { recursive: true });
    writeFileSync(path.join(root, 'pyproject.toml'), '[project]\r\nname = "shop"\r\n');
    writeFileSync(path.join(root, 'scripts', 'run.sh'), '#!/bin/sh\necho hi\n');
    chmodSync(path.join(root, 'scripts', 'run.sh'), 0o755);
    writeFileSync(path.join(root, '.venv', 'pyvenv.cfg'), 'x');
    const generated = await handOverFiles(project, root);
    expect(generated.map((f) => [f.name, f.mode])).toEqual([
      ['pyproject.toml', 0o644],
      ['README.md', 0o644],
      ['scripts/run.sh', 0o755],
    ]);
    expect(String(generated.find((f) => f.name === 'README.md')!.data)).toContain('`TOKEN` (required)');
    expect(String(generated[0]!.data)).toBe('[project]\r\nname = "shop"\r\n');

    const theirs = Buffer.from('# Shop\r\n\r\nThe team README, \u00e9\r\n');
    writeFileSync(path.join(root, 'README.md'), theirs);
    const kept = (await handOverFiles(project, root)).find((f) => f.name === 'README.md')!;
    expect(Buffer.from(kept.data).equals(theirs)).toBe(true);
  });
});
