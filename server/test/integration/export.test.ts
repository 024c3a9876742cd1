// The hand-over ZIP on the real toolchain: unzip it elsewhere, `uv sync`, `dg check defs`, `dg list defs`.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { zipEntries } from '../hand-over.js';
import { makeTestApp, pipesScript, scriptNode, type TestApp } from '../helpers.js';

const SECRET = 'sekret-value-4242-do-not-ship';
let t: TestApp;
let project: ProjectFile;
let root: string;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'designer-export-'));

beforeAll(async () => {
  process.env.SHOP_API_TOKEN = SECRET;
  t = await makeTestApp({ createWorkspaces: true });
  await t.app.services.catalogEnv.prepare();
  project = (
    await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      payload: { name: 'Shop export', description: 'Orders, exported.' },
    })
  ).json();
  await t.app.services.workspaces.settle();
  root = t.app.services.workspaces.requireReady(project.id);
});
afterAll(async () => {
  delete process.env.SHOP_API_TOKEN;
  t?.app.services.inspector.stop();
  await t?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function download(): Promise<Buffer> {
  const res = await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}/export.zip` });
  expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
  expect(res.headers['content-type']).toBe('application/zip');
  expect(res.headers['content-disposition']).toBe('attachment; filename="shop_export.zip"');
  return res.rawPayload;
}

describe('ZIP export', () => {
  it('exports a project that runs as is, and leaves secrets behind', async () => {
    const graph = {
      nodes: [
        scriptNode('a', 'extract', 'raw/orders', { metadata: { api_token: '{{ env.SHOP_API_TOKEN }}' } }),
        scriptNode('b', 'report', 'marts/report'),
      ],
      edges: [{ id: 'e', source: 'a', target: 'b' }],
    };
    const current = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}` })).json();
    const saved = await t.app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: {
        version: current.version,
        graph,
        env: [{ name: 'SHOP_API_TOKEN', required: true, description: 'Token of the shop API' }],
      },
    });
    expect(saved.statusCode).toBe(200);
    const previewResponse = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${project.id}/preview`,
    });
    expect(previewResponse.body).not.toContain(SECRET);
    const preview = previewResponse.json();
    expect(preview.problems).toEqual([]);
    expect(preview.assets.find((a: { key: string }) => a.key === 'raw/orders').metadata.api_token).toBe(
      '***',
    );
    for (const label of ['extract', 'report']) {
      writeFileSync(path.join(root, 'src', 'shop_export', 'defs', label, `${label}.py`), pipesScript());
    }
    writeFileSync(path.join(root, '.env'), `SHOP_API_TOKEN=${SECRET}\n`);

    const zip = await download();
    expect(zip.includes(Buffer.from(SECRET))).toBe(false);
    const again = await download();
    expect(createHash('sha256').update(again).digest('hex')).toBe(
      createHash('sha256').update(zip).digest('hex'),
    );

    const file = path.join(scratch, 'shop_export.zip');
    writeFileSync(file, zip);
    execFileSync('python3', ['-m', 'zipfile', '-e', file, scratch]);
    const listing = execFileSync('python3', ['-m', 'zipfile', '-l', file], { encoding: 'utf8' });
    for (const forbidden of ['.env', '.venv/', '.designer/', '__pycache__', '.dg/'])
      expect(listing).not.toContain(`shop_export/${forbidden}`);
    const out = path.join(scratch, 'shop_export');
    for (const needed of [
      'pyproject.toml',
      'uv.lock',
      'README.md',
      'dagster-designer.project.json',
      'src/shop_export/defs/extract/defs.yaml',
      'src/shop_export/defs/extract/extract.py',
    ]) {
      expect(existsSync(path.join(out, needed)), needed).toBe(true);
    }
    const readme = readFileSync(path.join(out, 'README.md'), 'utf8');
    expect(readme).toContain('uv sync');
    expect(readme).toContain('`SHOP_API_TOKEN` (required): Token of the shop API');
    expect(
      JSON.parse(readFileSync(path.join(out, 'dagster-designer.project.json'), 'utf8')).graph.nodes,
    ).toHaveLength(2);

    // It runs as is: a fresh venv, Dagster's own check and listing.
    const cli = t.app.services.cli;
    await cli.uvSync(out);
    const check = await cli.checkDefs(out);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    const listed = await cli.listDefs(out);
    const assets = (JSON.parse(listed.stdout) as { assets?: Array<Record<string, unknown>> }).assets ?? [];
    const keys = assets.map((a) => String(a.key ?? a.asset_key)).sort();
    expect(keys).toEqual(preview.assets.map((a: { key: string }) => a.key).sort());
  });

  it("generates the README only for a project without one; the team's own README leaves byte for byte", async () => {
    // create-dagster's generic README is dropped when the designer creates the project: the export writes its own.
    expect(existsSync(path.join(root, 'README.md'))).toBe(false);
    expect(
      zipEntries(await download())
        .files.get('README.md')!
        .toString('utf8'),
    ).toContain('uv run dg dev');
    const ours = Buffer.from('# Shop\r\n\nOur runbook: ask #data before a backfill.\r\n\u00e9\n');
    writeFileSync(path.join(root, 'README.md'), ours);
    const exported = zipEntries(await download()).files;
    expect(exported.get('README.md')!.equals(ours)).toBe(true);
    rmSync(path.join(root, 'README.md'));
  });

  it('refuses to export a project whose workspace does not exist, with a hint', async () => {
    const other = (
      await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'No workspace' } })
    ).json();
    await t.app.services.workspaces.settle();
    rmSync(path.join(t.dataDir, other.id), { recursive: true, force: true });
    const res = await t.app.inject({ method: 'GET', url: `/api/projects/${other.id}/export.zip` });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.hint).toContain('POST /api/projects/:id/workspace');
  });
});
