// POST /api/layout: the real ELK in the server's layout thread. Graphs as the canvas sends them (web/src/canvas/
// layout.ts, group-layout.ts), every refused body a 400 naming what is wrong, a layout over its time limit stopped
// without stopping the next one.
import { LAYOUT_OPTIONS, layoutOptionsFor, type LayoutGraph } from '@designer/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LayoutService, warmupGraph } from '../../src/services/layout.js';
import { makeTestApp, type TestApp } from '../helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => t.close());

const post = (payload: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/layout', payload: payload as object });
const box = (id: string) => ({ id, width: 240, height: 64 });
const edge = (source: string, target: string) => ({
  id: `${source}-${target}`,
  sources: [source],
  targets: [target],
});
const chain: LayoutGraph = {
  id: 'root',
  layoutOptions: LAYOUT_OPTIONS,
  children: ['a', 'b', 'c'].map(box),
  edges: [edge('a', 'b'), edge('b', 'c')],
};

describe('POST /api/layout', () => {
  it('lays a graph out left to right, each node with its size, and only places and sizes in the answer', async () => {
    const res = await post(chain);
    expect(res.statusCode).toBe(200);
    const laid = res.json();
    expect(Object.keys(laid).sort()).toEqual(['children', 'height', 'id', 'width']);
    const x = Object.fromEntries(laid.children.map((c: { id: string; x: number }) => [c.id, c.x]));
    expect(x.a).toBeLessThan(x.b);
    expect(x.b).toBeLessThan(x.c);
    for (const c of laid.children) {
      expect(Object.keys(c).sort()).toEqual(['height', 'id', 'width', 'x', 'y']);
      expect([c.width, c.height]).toEqual([240, 64]);
    }
    expect(laid.width).toBeGreaterThan(3 * 240);
  });

  it('lays out the parts of a large graph each on its own, as the canvas sends them', async () => {
    const part = (id: string, n: number) => ({
      id,
      layoutOptions: { ...layoutOptionsFor(200), 'elk.padding': '[top=0,left=0,bottom=0,right=0]' as const },
      children: Array.from({ length: n }, (_, i) => box(`${id}-${i}`)),
      edges: Array.from({ length: n - 1 }, (_, i) => edge(`${id}-${i}`, `${id}-${i + 1}`)),
    });
    const res = await post({
      id: 'parts',
      layoutOptions: { 'elk.algorithm': 'fixed' },
      children: [part('p', 4), part('q', 2)],
    });
    expect(res.statusCode).toBe(200);
    const [p, q] = res.json().children;
    expect(p.children.map((c: { id: string }) => c.id)).toEqual(['p-0', 'p-1', 'p-2', 'p-3']);
    expect(p.children[3].x).toBeGreaterThan(p.children[0].x);
    // Each part from (0, 0): its own size, its nodes inside it.
    expect(p.width).toBeGreaterThanOrEqual(4 * 240);
    expect(q.children).toHaveLength(2);
    expect(Math.min(...q.children.map((c: { x: number }) => c.x))).toBe(0);
  });

  it.each([
    [
      'an option the canvas never sets',
      { ...chain, layoutOptions: { 'elk.randomSeed': '3' } },
      'elk.randomSeed',
    ],
    [
      'an option with a value outside its list',
      { ...chain, layoutOptions: { 'elk.layered.thoroughness': '1000' } },
      'thoroughness',
    ],
    [
      'a padding that is not four numbers',
      { ...chain, layoutOptions: { 'elk.padding': '[top=1e9]' } },
      'elk.padding',
    ],
    ['an unknown field on a node', { ...chain, children: [{ ...box('a'), labels: [] }] }, '("labels")'],
    [
      'an edge with two sources',
      { ...chain, edges: [{ id: 'e', sources: ['a', 'b'], targets: ['c'] }] },
      'sources',
    ],
    ['a negative size', { ...chain, children: [{ id: 'a', width: -1, height: 64 }] }, 'width'],
    [
      'a fourth level of children',
      { ...chain, children: [{ id: 'g', children: [{ ...box('a'), children: [] }] }] },
      '("children")',
    ],
  ])('refuses %s with a 400 naming it', async (_, body, named) => {
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain(named);
  });

  it('refuses more nodes than a layout takes, counted at every level', async () => {
    const group = (g: number) => ({
      id: `g${g}`,
      children: Array.from({ length: 150 }, (_, i) => box(`g${g}-${i}`)),
    });
    const res = await post({ id: 'root', children: Array.from({ length: 140 }, (_, g) => group(g)) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'layout_too_large' });
    expect(res.json().error.message).toContain('21140');
  });

  it("answers ELK's own refusal as a 400 (an edge to a node the request lacks), and lays out the next graph", async () => {
    const res = await post({ ...chain, edges: [edge('a', 'nowhere')] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'layout_failed' });
    expect(res.json().error.message).toMatch(/ELK could not lay this graph out: .*nowhere/);
    expect((await post(chain)).statusCode).toBe(200);
  });
});

describe('LayoutService', () => {
  it('stops a layout over its time limit, and the next one runs on a new thread', async () => {
    const layout = new LayoutService();
    try {
      await expect(layout.layout(warmupGraph(600), 20)).rejects.toMatchObject({
        statusCode: 503,
        code: 'layout_timeout',
      });
      const laid = await layout.layout(chain);
      expect(laid.children.map((c) => c.id)).toEqual(['a', 'b', 'c']);
      expect(layout.threads).toBe(2);
    } finally {
      await layout.close();
    }
  });

  it('lays out one graph at a time, in the order asked, each answer its own', async () => {
    const layout = new LayoutService();
    try {
      const graphs = [3, 1, 2].map((n) => ({ ...chain, children: chain.children.slice(0, n), edges: [] }));
      const answers = await Promise.all(graphs.map((g) => layout.layout(g)));
      expect(answers.map((a) => a.children.length)).toEqual([3, 1, 2]);
    } finally {
      await layout.close();
    }
  });
});
