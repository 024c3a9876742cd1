// A designer ZIP imported again (unzip_safe.py, what the ZIP import runs) gives back the workspace's files:
// the same bytes, and an executable script still executable.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { REPO_ROOT } from '../config.js';
import { writeProjectZip } from './zip-writer.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'zip-round-trip-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('export ZIP → ZIP import', () => {
  it('keeps every byte and the execute bit', async () => {
    const root = path.join(scratch, 'workspace');
    mkdirSync(path.join(root, 'scripts'), { recursive: true });
    writeFileSync(path.join(root, 'README.md'), '# Team\r\nOur own words.\r\n');
    writeFileSync(path.join(root, 'scripts', 'run.sh'), '#!/bin/sh\necho hi\n');
    chmodSync(path.join(root, 'scripts', 'run.sh'), 0o755);
    const project = {
      name: 'Shop',
      package_name: 'shop',
      graph: { nodes: [], edges: [] },
    } as unknown as ProjectFile;
    const zip = path.join(scratch, 'shop.zip');
    await writeProjectZip(project, root, createWriteStream(zip));
    const out = path.join(scratch, 'imported');
    execFileSync('python3', [path.join(REPO_ROOT, 'server', 'python', 'unzip_safe.py'), zip, out]);
    for (const file of ['README.md', 'scripts/run.sh'])
      expect(
        readFileSync(path.join(out, 'shop', file)).equals(readFileSync(path.join(root, file))),
        file,
      ).toBe(true);
    expect(statSync(path.join(out, 'shop', 'scripts', 'run.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(path.join(out, 'shop', 'README.md')).mode & 0o111).toBe(0);
  });
});
