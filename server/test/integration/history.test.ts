// Project history with the real git: a burst of rapid saves becomes a bounded number of commits (squashed),
// the history survives a server restart, and the pruning policy rewrites old entries away.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryPage, ProjectFile } from '@designer/shared';
import { buildApp } from '../../src/app.js';
import { HistoryRepo } from '../../src/services/history/git.js';
import { ProjectHistory } from '../../src/services/history/store.js';
import { scriptNode } from '../helpers.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'designer-history-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const start = () => buildApp({ dataDir, createWorkspaces: false, prepareCatalog: false });

describe('history with real git', () => {
  it('50 rapid saves give a few squashed commits, and the history survives a restart', async () => {
    let app = await start();
    const project = (
      await app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Burst' } })
    ).json() as ProjectFile;
    const history = app.services.history!;
    history.options.delayMs = 20; // written while the burst goes on, as a slow typist's autosaves would be
    history.options.maxDelayMs = 60;
    let version = project.version;
    for (let i = 0; i < 50; i += 1) {
      const nodes = Array.from({ length: 1 + (i % 5) }, (_, k) =>
        scriptNode(`n${k}`, `step_${k}`, `raw/step_${k}_${i}`),
      );
      const res = await app.inject({
        method: 'PUT',
        url: `/api/projects/${project.id}`,
        payload: { version, graph: { nodes, edges: [] } },
      });
      expect(res.statusCode, res.body).toBe(200);
      version = res.json().version;
      await new Promise((r) => setTimeout(r, 10));
    }
    await history.flushAll();
    const gitDir = path.join(dataDir, '.history', `${project.id}.git`);
    const count = Number(
      execFileSync('git', [`--git-dir=${gitDir}`, 'rev-list', '--count', 'main']).toString(),
    );
    expect(count).toBe(1); // every save within 10 s of the previous one amends the entry
    const page = (await app.inject({ url: `/api/projects/${project.id}/history` })).json() as HistoryPage;
    expect(page.entries[0]).toMatchObject({ version, fromVersion: 1, saves: 51 });
    // git itself reads the entry: the project file as last saved.
    const stored = JSON.parse(
      execFileSync('git', [`--git-dir=${gitDir}`, 'show', 'main:project.json']).toString(),
    ) as ProjectFile;
    expect(stored.version).toBe(version);

    // One more save after the squash window is a new entry; one just acknowledged is written before the
    // server stops.
    history.options.squashMs = -1;
    const last = await app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: { version, graph: { nodes: [scriptNode('n0', 'only', 'raw/only')], edges: [] } },
    });
    expect(last.statusCode).toBe(200);
    history.options.delayMs = 60_000;
    await app.close();

    // A git killed in the middle of moving the branch (a crash) leaves its lock: the next start writes anyway.
    // One killed while building a tree leaves its throw-away index (and the index's lock), which the next write
    // clears.
    writeFileSync(path.join(gitDir, 'refs', 'heads', 'main.lock'), '');
    writeFileSync(path.join(gitDir, 'designer-index-0123456789ab'), 'DIRC');
    writeFileSync(path.join(gitDir, 'designer-index-0123456789ab.lock'), '');
    app = await start();
    const after = (await app.inject({ url: `/api/projects/${project.id}/history` })).json() as HistoryPage;
    expect(after.total).toBe(2);
    expect(after.entries[0]).toMatchObject({ version: version + 1, kind: 'save' });
    expect(after.entries[0]!.summary).toMatch(/^removed step_1, .*renamed step_0 to only/);
    const diff = await app.inject({
      url: `/api/projects/${project.id}/history/diff?from=${after.entries[1]!.commit}&to=${after.entries[0]!.commit}`,
    });
    expect(diff.statusCode).toBe(200);
    app.services.history!.options.squashMs = -1;
    const next = await app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: { version: version + 1, graph: { nodes: [], edges: [] } },
    });
    expect(next.statusCode).toBe(200);
    const third = (await app.inject({ url: `/api/projects/${project.id}/history` })).json() as HistoryPage;
    expect(third.total).toBe(3);
    expect(readdirSync(gitDir).filter((n) => n.startsWith('designer-index-'))).toEqual([]);
    expect(third.entries[0]!.summary).toBe('removed only');
    await app.close();
  });

  it('prunes by the policy: everything of the last 30 days, then one per day, at most N', async () => {
    const history = new ProjectHistory(dataDir, () => path.join(dataDir, 'none'), {
      prune: { keepAllDays: 30, maxEntries: 4 },
    });
    const repo = new HistoryRepo(path.join(dataDir, '.history', 'prune-test.git'));
    await repo.init();
    const tree = await repo.writeTree([{ path: 'project.json', blob: await repo.writeBlob('{}\n') }]);
    const day = 24 * 3600 * 1000;
    const now = Date.parse('2026-06-01T12:00:00Z');
    // Two a day, 40 and 39 days ago; then two a day, 2 and 1 days ago.
    const times = [40, 40, 39, 39, 2, 2, 1, 1].map((d, i) => new Date(now - d * day + (i % 2) * 3600_000));
    let parent: string | null = null;
    for (const [i, time] of times.entries()) {
      const c: string = await repo.commitTree(tree, parent ? [parent] : [], `entry ${i}\n`, {
        author: time.toISOString(),
        committer: time.toISOString(),
      });
      await repo.updateBranch(c, parent);
      parent = c;
    }
    const dropped = await history.prune(repo, new Date(now));
    const kept = (await repo.commits()).map((c) => c.message.trim());
    // 2 + 2 recent ones, then the newest of day -39 would be 5th: the cap of 4 drops it and all older.
    expect(kept).toEqual(['entry 7', 'entry 6', 'entry 5', 'entry 4']);
    expect(dropped).toBe(4);
  });
});
