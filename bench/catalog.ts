// Catalog: a direct `dg list components --json` next to our cold and warm GET /api/components.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../server/src/app.js';
import { CatalogService } from '../server/src/services/catalog.js';
import { ms, percentile, report, timeIt } from './stats.js';

export async function benchCatalog(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-catalog-'));
  const app = await buildApp({ dataDir, createWorkspaces: false, prepareCatalog: false });
  try {
    const { cli, catalogEnv } = app.services;
    await catalogEnv.prepare();
    const root = catalogEnv.root;
    const dgRuns: number[] = [];
    for (let i = 0; i < 3; i += 1) dgRuns.push(await timeIt(() => cli.listComponents(root)));
    const dg = percentile(dgRuns, 50);

    const coldCacheDir = mkdtempSync(path.join(os.tmpdir(), 'bench-catalog-cold-'));
    const cold = await timeIt(() => new CatalogService(cli, coldCacheDir).list(root));
    rmSync(coldCacheDir, { recursive: true, force: true });

    await app.inject({ method: 'GET', url: '/api/components' });
    const warm: number[] = [];
    for (let i = 0; i < 300; i += 1)
      warm.push(await timeIt(() => app.inject({ method: 'GET', url: '/api/components' })));
    const p50 = percentile(warm, 50);
    report('catalog (GET /api/components)', [
      ['dg list components --json (p50 of 3)', ms(dg)],
      [
        'cold: every component with schemas, one Python process',
        `${ms(cold)} (${(cold / dg).toFixed(2)}× the dg list time, which has no schemas)`,
      ],
      ['warm p50 / p99 (300 requests)', `${ms(p50)} / ${ms(percentile(warm, 99))}`],
      ['warm speed-up over dg list', `${(dg / p50).toFixed(0)}×   (goal ≥ 50×, p50 < 20 ms)`],
    ]);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
