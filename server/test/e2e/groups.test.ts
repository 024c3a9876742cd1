// Groups on the canvas, as a person uses them in a real Chromium: select three nodes, Ctrl+G, name the group;
// drag its frame (the members move with it); collapse it into one box that keeps the outside edges; expand it;
// find it by name; undo back to no group. The saved project file holds the group at each step.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphNode, ProjectFile } from '@designer/shared';
import { SCREENSHOTS, mouseDrag, startSession, type Session } from './browser.js';

let s: Session;
beforeAll(async () => {
  s = await startSession({ createWorkspaces: false });
});
afterAll(async () => s?.close());

const node = (id: string, x: number, y: number): GraphNode => ({
  id,
  type: 'component',
  position: { x, y },
  data: {
    label: id,
    component_type: 'dagster.PythonScriptComponent',
    attributes: { assets: [{ key: `raw/${id}` }], execution: { path: `${id}.py` } },
  },
});

describe('groups end to end', () => {
  it('groups three nodes, moves them as one, collapses, expands, finds the group and undoes it', async () => {
    const { page, app } = s;
    const project = (
      await app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Groups demo' } })
    ).json() as ProjectFile;
    // source → orders → customers → revenue → report; orders, customers and revenue will be the group.
    const nodes = [
      node('source', 0, 120),
      node('orders', 340, 0),
      node('customers', 340, 160),
      node('revenue', 680, 80),
      node('report', 1020, 80),
    ];
    const edge = (a: string, b: string) => ({ id: `${a}-${b}`, source: a, target: b });
    const edges = [
      edge('source', 'orders'),
      edge('source', 'customers'),
      edge('orders', 'revenue'),
      edge('customers', 'revenue'),
      edge('revenue', 'report'),
    ];
    const saved = await app.inject({
      method: 'PUT',
      url: `/api/projects/${project.id}`,
      payload: { version: 1, graph: { nodes, edges } },
    });
    expect(saved.statusCode).toBe(200);
    const stored = async () =>
      ((await app.inject({ url: `/api/projects/${project.id}` })).json() as ProjectFile).graph;

    // A link to a project opens it without the start screen showing first (App.tsx's "Opening the project…").
    await page.addInitScript(() => {
      const w = window as unknown as { sawStartScreen: boolean };
      w.sawStartScreen = false;
      new MutationObserver(() => {
        if (document.querySelector('.start-card')) w.sawStartScreen = true;
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${s.url}/#/projects/${project.id}`);
    await page.waitForSelector('[data-testid="node-orders"]');
    expect(await page.evaluate(() => (window as unknown as { sawStartScreen: boolean }).sawStartScreen)).toBe(
      false,
    );

    // Select three nodes (click, Shift+click) → the selection bar offers Group; Ctrl+G groups them.
    await page.locator('[data-testid="node-orders"]').click();
    await page.locator('[data-testid="node-customers"]').click({ modifiers: ['Shift'] });
    await page.locator('[data-testid="node-revenue"]').click({ modifiers: ['Shift'] });
    await expect.poll(() => page.locator('.group-selection-bar').textContent()).toContain('3 nodes selected');
    await page.keyboard.press('Control+g');
    // A new group starts with its name being edited.
    const name = page.getByRole('textbox', { name: 'Group name' });
    await expect.poll(() => name.count()).toBe(1);
    await name.fill('Raw ingest');
    await name.press('Enter');
    const frame = page.getByTestId('group-Raw ingest');
    await expect.poll(() => frame.count()).toBe(1);
    await expect
      .poll(async () => (await stored()).groups?.map((g) => [g.name, [...g.members].sort()]))
      .toEqual([['Raw ingest', ['customers', 'orders', 'revenue']]]);
    const groupId = (await stored()).groups![0]!.id;

    // The frame holds its members: each member's box lies inside the frame's.
    const inside = async (label: string) => {
      const f = (await frame.boundingBox())!;
      const n = (await page.locator(`[data-testid="node-${label}"]`).boundingBox())!;
      return n.x >= f.x && n.y >= f.y && n.x + n.width <= f.x + f.width && n.y + n.height <= f.y + f.height;
    };
    for (const label of ['orders', 'customers', 'revenue']) expect(await inside(label)).toBe(true);
    expect(await inside('source')).toBe(false);
    await page.keyboard.press('Shift+1'); // fit the view, so the frame's toolbar shows whole
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'groups-frame.png') });

    // Dragging the frame by its header moves the three members by the same amount (one undo step).
    const header = (await page.locator('.group-header').boundingBox())!;
    const before = (await stored()).nodes.find((n) => n.id === 'orders')!.position;
    await mouseDrag(
      page,
      { x: header.x + header.width - 30, y: header.y + header.height / 2 },
      { x: header.x + header.width - 30, y: header.y + header.height / 2 + 160 },
    );
    await expect
      .poll(async () => (await stored()).nodes.find((n) => n.id === 'orders')!.position.y)
      .toBeGreaterThan(before.y + 100);
    const moved = await stored();
    const dy = moved.nodes.find((n) => n.id === 'orders')!.position.y - before.y;
    expect(moved.nodes.find((n) => n.id === 'customers')!.position.y).toBe(160 + dy);
    expect(moved.nodes.find((n) => n.id === 'revenue')!.position.y).toBe(80 + dy);
    expect(moved.nodes.find((n) => n.id === 'source')!.position.y).toBe(120);

    // Dragging one member out past the frame's edge: the frame grows to hold it, the siblings stay where they are.
    const member = (await page.locator('[data-testid="node-orders"]').boundingBox())!;
    await mouseDrag(
      page,
      { x: member.x + member.width / 2, y: member.y + 10 },
      { x: member.x + member.width / 2, y: member.y - 70 },
    );
    await expect
      .poll(async () => (await stored()).nodes.find((n) => n.id === 'orders')!.position.y)
      .toBeLessThan(moved.nodes.find((n) => n.id === 'orders')!.position.y - 40);
    const afterMember = await stored();
    expect(afterMember.nodes.find((n) => n.id === 'customers')!.position).toEqual(
      moved.nodes.find((n) => n.id === 'customers')!.position,
    );
    expect(await inside('orders')).toBe(true);

    // Collapse: one box; the members are gone from view; the outside edges end at the box, the inner ones hide.
    await page.getByRole('button', { name: 'Collapse Raw ingest' }).click();
    await expect.poll(() => page.locator('[data-testid="node-orders"]').count()).toBe(0);
    await expect.poll(() => frame.getAttribute('data-collapsed')).toBe('true');
    expect(await frame.textContent()).toContain('3 nodes');
    const edgeEnds = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('.react-flow__edge')].map((e) => e.getAttribute('data-testid')).sort(),
      );
    // Drawn: source→box (once for two edges), box→report.
    await expect.poll(edgeEnds).toEqual(['rf__edge-revenue-report', 'rf__edge-source-orders']);
    await expect.poll(async () => (await stored()).groups?.[0]?.collapsed).toBe(true);
    // Frame then box: the box sits where the frame's top-left was, between source and report.
    const box = (await frame.boundingBox())!;
    const source = (await page.locator('[data-testid="node-source"]').boundingBox())!;
    const report = (await page.locator('[data-testid="node-report"]').boundingBox())!;
    expect(box.x).toBeGreaterThan(source.x + source.width);
    expect(box.x + box.width).toBeLessThan(report.x);
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'groups-collapsed.png') });

    // Expand: the members come back where they were.
    await page.getByRole('button', { name: 'Expand Raw ingest' }).click();
    await expect.poll(() => page.locator('[data-testid="node-orders"]').count()).toBe(1);
    await expect.poll(edgeEnds).toHaveLength(5);
    await expect.poll(async () => (await stored()).groups?.[0]?.collapsed).toBeUndefined();
    expect((await stored()).nodes.find((n) => n.id === 'orders')!.position).toEqual(
      afterMember.nodes.find((n) => n.id === 'orders')!.position,
    );

    // Find knows the group by its name, and the view moves to its frame.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+f');
    const find = page.getByRole('searchbox', { name: 'Find on the canvas' });
    await find.pressSequentially('raw ingest');
    await expect.poll(() => page.getByTestId('find-count').textContent()).toBe('– of 1');
    await find.press('Enter');
    await expect
      .poll(() => page.locator(`[data-id="${groupId}"]`).getAttribute('class'))
      .toContain('find-current');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'groups-find.png') });
    await find.press('Escape');

    // Undo, one press per action: expand, collapse, the member's move, the frame's move, then the named group
    // (making it and typing its first name were one action).
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    const undoTo = async (check: (g: Awaited<ReturnType<typeof stored>>) => unknown, expected: unknown) => {
      await page.keyboard.press('Control+z');
      await expect.poll(async () => check(await stored())).toEqual(expected);
    };
    await undoTo((g) => g.groups?.[0]?.collapsed, true);
    await undoTo((g) => g.groups?.[0]?.collapsed, undefined);
    await undoTo(
      (g) => g.nodes.find((n) => n.id === 'orders')!.position,
      moved.nodes.find((n) => n.id === 'orders')!.position,
    );
    await undoTo((g) => g.nodes.find((n) => n.id === 'orders')!.position, before);
    expect((await stored()).groups?.map((g) => g.name)).toEqual(['Raw ingest']);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.group-node').count()).toBe(0);
    await expect.poll(async () => (await stored()).groups).toBeUndefined();
    const undone = await stored();
    expect(undone.nodes.map((n) => n.id).sort()).toEqual([
      'customers',
      'orders',
      'report',
      'revenue',
      'source',
    ]);
    expect(undone.nodes.find((n) => n.id === 'orders')!.position).toEqual({ x: 340, y: 0 });
    expect(undone.edges).toHaveLength(5);
    // Redo brings the group back, named.
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => page.locator('.group-node').count()).toBe(1);
    await expect.poll(async () => (await stored()).groups?.map((g) => g.name)).toEqual(['Raw ingest']);
    expect(s.errors).toEqual([]);
  });
});
