// A save's body is parsed reusing the nodes and edges of the project's previous save (lib/json-reuse.ts): what
// it stores must be what a full parse stores, and every bad body must still be refused as before, nothing written.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Graph, ProjectFile } from '@designer/shared';
import { JSON_HEADERS, makeTestApp, scriptNode, type TestApp } from '../helpers.js';

let t: TestApp;
let project: ProjectFile;
beforeAll(async () => {
  t = await makeTestApp();
  project = (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Reuse' } })).json();
});
afterAll(async () => t.close());

const nodes = Array.from({ length: 40 }, (_, i) => scriptNode(`n${i}`, `asset_${i}`, `raw/a${i}`));
const edges = Array.from({ length: 39 }, (_, i) => ({ id: `e${i}`, source: `n${i}`, target: `n${i + 1}` }));
const file = () => path.join(t.dataDir, `${project.id}.json`);
const onDisk = () => readFileSync(file(), 'utf8');

/** A save as the web app sends it (text), at the project's current version. */
async function save(body: string | ((version: number) => string)) {
  const current = await t.app.services.projects.read(project.id);
  const payload = typeof body === 'string' ? body : body(current.version);
  return t.app.inject({ method: 'PUT', url: `/api/projects/${project.id}`, headers: JSON_HEADERS, payload });
}
const text =
  (graph: Graph, extra: Record<string, unknown> = {}) =>
  (version: number) =>
    JSON.stringify({ version, graph, ...extra });

describe('PUT /api/projects/:id body parsing', () => {
  it('stores what was sent, save after save, and reuses the unchanged nodes of the previous save', async () => {
    expect((await save(text({ nodes, edges }))).statusCode).toBe(200);
    const before = await t.app.services.projects.read(project.id);
    const moved = nodes.map((n, i) => (i === 5 ? { ...n, position: { x: 500, y: 7 } } : n));
    const res = await save(text({ nodes: moved, edges }));
    expect(res.statusCode).toBe(200);
    const after = await t.app.services.projects.read(project.id);
    expect(after.graph).toEqual({ nodes: moved, edges });
    expect(JSON.parse(onDisk()).graph).toEqual({ nodes: moved, edges });
    // Unchanged nodes and edges are the previous save's objects, the moved one a new one.
    expect(after.graph.nodes[4]).toBe(before.graph.nodes[4]);
    expect(after.graph.edges[10]).toBe(before.graph.edges[10]);
    expect(after.graph.nodes[5]).not.toBe(before.graph.nodes[5]);

    // Inserted, deleted, reordered nodes and a renamed project: still exactly what was sent.
    const edited = [
      scriptNode('new', 'fresh', 'raw/fresh'),
      ...moved.slice(0, 20).reverse(),
      ...moved.slice(22),
    ];
    const kept = edges.filter(
      (e) => !['n20', 'n21'].includes(e.source) && !['n20', 'n21'].includes(e.target),
    );
    expect((await save(text({ nodes: edited, edges: kept }, { name: 'Renamed' }))).statusCode).toBe(200);
    const read = (await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}` })).json();
    expect(read).toMatchObject({ name: 'Renamed', graph: { nodes: edited, edges: kept } });
    expect(JSON.parse(onDisk())).toEqual(read);
    // Byte for byte what JSON.stringify writes (the file's text reuses the unchanged nodes' texts).
    expect(onDisk()).toBe(`${JSON.stringify(await t.app.services.projects.read(project.id))}\n`);
  });

  it('coerces a value the schema coerces the same way when the same text comes again', async () => {
    // Ajv coerces "5" to 5 (and changes the parsed body in place): the reused value keeps what it was given.
    const withText = (version: number) =>
      text({ nodes, edges })(version).replace('"position":{"x":0,', '"position":{"x":"5",');
    for (let i = 0; i < 2; i += 1) {
      expect((await save(withText)).statusCode).toBe(200);
      expect(JSON.parse(onDisk()).graph.nodes[0].position).toEqual({ x: 5, y: 0 });
      expect(onDisk()).toBe(`${JSON.stringify(await t.app.services.projects.read(project.id))}\n`);
    }
  });

  // Each bad body after a good save, so the previous save's nodes are known to the parser.
  it.each([
    [
      'a __proto__ key in a node',
      (b: string) => b.replace('"id":"n3"', '"__proto__":{"x":1},"id":"n3"'),
      'invalid_json',
    ],
    [
      'an escaped __proto__ key',
      (b: string) => b.replace('"id":"n3"', '"\\u005f_proto__":{"x":1},"id":"n3"'),
      'invalid_json',
    ],
    [
      'constructor.prototype in a node',
      (b: string) => b.replace('"id":"n3"', '"constructor":{"prototype":{"x":1}},"id":"n3"'),
      'invalid_json',
    ],
    [
      '__proto__ at the top',
      (b: string) => b.replace('{"version"', '{"__proto__":{"x":1},"version"'),
      'invalid_json',
    ],
    ['invalid JSON after the nodes', (b: string) => `${b.slice(0, -1)},}`, 'invalid_json'],
    ['a node after a minus sign', (b: string) => b.replace('[{"id":"n0"', '[-{"id":"n0"'), 'invalid_json'],
    ['an unknown field', (b: string) => b.replace('{"version"', '{"extra":1,"version"'), 'invalid_request'],
    // The format's objects are closed all the way down (a field no read would answer is refused, not kept).
    [
      'an unknown field in a node',
      (b: string) => b.replace('"id":"n3"', '"selected":true,"id":"n3"'),
      'invalid_request',
    ],
    [
      "an unknown field in a node's data",
      (b: string) => b.replace('"label":"asset_3"', '"label":"asset_3","note":"x"'),
      'invalid_request',
    ],
    [
      'an unknown field in an edge',
      (b: string) => b.replace('"id":"e3"', '"animated":true,"id":"e3"'),
      'invalid_request',
    ],
    [
      'an unknown field in a position',
      (b: string) => b.replace('"position":{"x":0,', '"position":{"z":1,"x":0,'),
      'invalid_request',
    ],
    [
      'a node of an unknown type',
      (b: string) => b.replace('"id":"n3","type":"component"', '"id":"n3","type":"x"'),
      'invalid_request',
    ],
    [
      'a node of the wrong shape',
      (b: string) => b.replace('"position":{"x":0,', '"position":{"x":{},'),
      'invalid_request',
    ],
    ['a repeated node id', (b: string) => b.replace('"id":"n3"', '"id":"n2"'), 'invalid_graph'],
    [
      'a body nested too deep',
      (b: string) => b.replace('"attributes":{', `"attributes":{"d":${'['.repeat(70)}${']'.repeat(70)},`),
      'body_too_deep',
    ],
  ])('%s: 4xx with the API error shape, nothing written', async (name, corrupt, code) => {
    expect((await save(text({ nodes, edges }))).statusCode).toBe(200);
    const bytes = onDisk();
    const res = await save((version) => corrupt(text({ nodes, edges })(version)));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
    if (name.startsWith('an unknown field'))
      expect(res.json().error.message).toMatch(
        /must NOT have additional properties \("(extra|selected|note|animated|z)"\)/,
      );
    expect(
      Object.keys(res.json().error).every((k) =>
        ['code', 'message', 'hint', 'details', 'issues'].includes(k),
      ),
    ).toBe(true);
    expect(onDisk()).toBe(bytes);
    expect(({} as Record<string, unknown>).x).toBeUndefined(); // no prototype was changed
  });
});

describe('GET /api/projects/:id', () => {
  it('answers the text the last save wrote, in its own key order, without serialising it again', async () => {
    // Keys in another order than the schema's: a response serialiser would write them in the schema's order.
    const reordered = nodes.map(({ id, type, position, data }) => ({ data, position, type, id }));
    const turned = edges.map(({ id, source, target }) => ({ target, source, id }));
    expect((await save(text({ edges: turned, nodes: reordered }))).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toBe(onDisk());
    expect(res.json().graph).toEqual({ nodes, edges });
  });

  it('leaves out fields the format does not have in a file written before, and its next save drops them', async () => {
    expect((await save(text({ nodes, edges }))).statusCode).toBe(200);
    const stored = JSON.parse(onDisk());
    stored.graph.nodes[2].selected = true;
    stored.graph.nodes[2].data.note = 'by hand';
    stored.graph.edges[0].animated = true;
    stored.graph.viewport = { x: 1, y: 2, zoom: 0.5, extra: 1 };
    stored.unknown_top = { a: 1 };
    writeFileSync(file(), `${JSON.stringify(stored, null, 2)}\n`);
    const res = await t.app.inject({ method: 'GET', url: `/api/projects/${project.id}` });
    expect(res.statusCode).toBe(200);
    const read = res.json();
    expect(read.graph).toEqual({ nodes, edges, viewport: { x: 1, y: 2, zoom: 0.5 } });
    expect(read).not.toHaveProperty('unknown_top');
    expect(read.graph.nodes[2].data).toEqual(nodes[2]!.data);
    // Saving it back as read writes a file without them.
    expect((await save(JSON.stringify({ ...read, version: read.version }))).statusCode).toBe(200);
    expect(onDisk()).not.toMatch(/selected|by hand|animated|extra|unknown_top/);
  });
});
