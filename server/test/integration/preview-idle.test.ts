// The warm preview process is released after the idle timeout (DESIGNER_PREVIEW_IDLE_SECONDS, short here), the
// preview after that still answers right from a cold process, and an edit warms a released process again in the
// background so the preview that follows finds it warm. Real toolchain.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Graph, ProjectFile } from '@designer/shared';
import { makeTestApp, scriptNode, type TestApp } from '../helpers.js';

const IDLE_SECONDS = 5;

let t: TestApp;
let project: ProjectFile;
let root: string;

beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true, previewIdleSeconds: IDLE_SECONDS });
  await t.app.services.catalogEnv.prepare();
  project = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Idle' } })).json();
  await t.app.services.workspaces.settle();
  root = t.app.services.workspaces.requireReady(project.id);
});
afterAll(async () => {
  t?.app.services.inspector.stop();
  await t?.close();
});

const graph = (description: string): Graph => ({
  nodes: [
    scriptNode('a', 'extract', 'raw/orders', { description }),
    scriptNode('b', 'report', 'marts/report'),
  ],
  edges: [{ id: 'e', source: 'a', target: 'b' }],
});

async function save(description: string): Promise<void> {
  const current = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}` })).json();
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: { version: current.version, graph: graph(description) },
  });
  expect(res.statusCode, res.body).toBe(200);
}

async function preview() {
  const res = await t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/preview` });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as {
    assets: Array<{ key: string; deps: string[]; description?: string }>;
    problems: unknown[];
    warm: boolean;
  };
  expect(body.problems).toEqual([]);
  return body;
}

const processGone = (pid: number) => !existsSync(`/proc/${pid}`);

async function until(what: string, done: () => boolean, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${seconds} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the warm preview process after an idle period', () => {
  it('is released after the idle timeout; the next preview answers right from a cold process', async () => {
    await save('first');
    const first = await preview();
    expect(first.assets.map((a) => a.key).sort()).toEqual(['marts/report', 'raw/orders']);
    const warm = t.app.services.inspector.status(root);
    expect(warm?.served).toBeGreaterThanOrEqual(1);
    const pid = warm!.pid;
    const idleSince = Date.now();
    expect(processGone(pid)).toBe(false);

    await until('released', () => processGone(pid), IDLE_SECONDS + 30);
    expect(Date.now() - idleSince).toBeGreaterThanOrEqual(IDLE_SECONDS * 1000 - 200);
    expect(t.app.services.inspector.status(root)).toBeUndefined();

    const cold = await preview();
    expect(cold.warm).toBe(false);
    expect(cold.assets).toEqual(first.assets);
    expect(t.app.services.inspector.status(root)?.pid).not.toBe(pid);
  });

  it('warms a released process again when the project is edited, so the next preview is warm and current', async () => {
    const pid = t.app.services.inspector.status(root)!.pid;
    await until('released', () => processGone(pid), IDLE_SECONDS + 30);

    await save('edited');
    // Started by the edit alone, and warm (one load answered) before any preview asks.
    await until('warmed by the edit', () => (t.app.services.inspector.status(root)?.served ?? 0) > 0, 120);
    expect(t.app.services.inspector.status(root)!.pid).not.toBe(pid);

    const next = await preview();
    expect(next.warm).toBe(true);
    expect(next.assets.find((a) => a.key === 'raw/orders')?.description).toBe('edited');
    expect(next.assets.find((a) => a.key === 'marts/report')?.deps).toEqual(['raw/orders']);
  });
});
