// A real server on a free loopback port and a real headless Chromium (Debian's), for end-to-end tests.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import { REPO_ROOT } from '../../src/config.js';

export const SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');

export function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (p) => p && existsSync(p),
  );
  if (!found)
    throw new Error(
      'Chromium not found: `npm test` installs it (apt-get install chromium), or set CHROMIUM_PATH.',
    );
  return found;
}

export interface Session {
  app: FastifyInstance;
  url: string;
  dataDir: string;
  browser: Browser;
  page: Page;
  errors: string[];
  close: () => Promise<void>;
}

export async function startSession(
  options: { createWorkspaces?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<Session> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'designer-e2e-'));
  const app = await buildApp({
    dataDir,
    port: 0,
    createWorkspaces: options.createWorkspaces ?? true,
    prepareCatalog: false,
  });
  await app.services.catalogEnv.prepare();
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--headless=new', '--disable-gpu'],
  });
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    browser,
    page,
    errors,
    close: async () => {
      await browser.close();
      await app.services.workspaces.settle();
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Drags from the centre of one element to the centre of another with real mouse events. */
export async function mouseDrag(
  page: Page,
  from: { x: number; y: number },
  to: { x: number; y: number },
  steps = 12,
): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps });
  await page.mouse.up();
}

/**
 * The centre of an element once it is visible and has stopped moving (the same box twice, 100 ms apart): a node
 * just dropped is measured, placed and maybe scrolled into view over the next frames, which on a loaded machine
 * can take longer than the step from one command to the next, and a press at its old place misses it.
 */
export async function centreOf(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const element = page.locator(selector).first();
  await element.waitFor({ state: 'visible' });
  let box = await element.boundingBox();
  for (let tries = 0; tries < 100; tries += 1) {
    await page.waitForTimeout(100);
    const next = await element.boundingBox();
    const same = box && next && ['x', 'y', 'width', 'height'].every((k) => box![k as 'x'] === next[k as 'x']);
    box = next;
    if (same) break;
  }
  if (!box) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}
