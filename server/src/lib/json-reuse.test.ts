import { describe, expect, it } from 'vitest';
import { jsonDepth } from '../plugins/json-body.js';
import { ReusingParser } from './json-reuse.js';

const node = (i: number, x = 0) => ({
  id: `n${i}`,
  type: 'component',
  position: { x, y: i * 10 },
  data: { label: `a_${i}`, attributes: { assets: [{ key: `k/${i}`, kinds: ['python'] }] } },
});
const edge = (a: number, b: number) => ({ id: `e${a}-${b}`, source: `n${a}`, target: `n${b}` });
const body = (nodes: unknown[], edges: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ version: 1, graph: { nodes, edges }, ...extra });

/** Parses `text` after `before` (same key) and checks the answer equals JSON.parse's, and the depth jsonDepth's. */
function parsedAfter(before: string[], text: string, parser = new ReusingParser()) {
  for (const t of before) parser.parse('k', t, 64);
  const answer = parser.parse('k', text, 64);
  expect(answer.depth).toBe(jsonDepth(text, 64));
  return answer;
}

describe('ReusingParser', () => {
  const nodes = Array.from({ length: 30 }, (_, i) => node(i));
  const edges = Array.from({ length: 29 }, (_, i) => edge(i, i + 1));
  const first = body(nodes, edges);

  it('answers what JSON.parse answers, and reuses the unchanged elements of the last body', () => {
    const parser = new ReusingParser();
    const one = parser.parse('k', first, 64).value as { graph: { nodes: object[]; edges: object[] } };
    expect(one).toEqual(JSON.parse(first));
    const moved = nodes.map((n, i) => (i === 7 ? node(7, 99) : n));
    const text = body(moved, edges);
    const two = parser.parse('k', text, 64).value as typeof one;
    expect(two).toEqual(JSON.parse(text));
    expect(two.graph.nodes[6]).toBe(one.graph.nodes[6]); // the same object: not parsed again
    expect(two.graph.nodes[7]).not.toBe(one.graph.nodes[7]);
    expect(two.graph.nodes[7]).toEqual(node(7, 99));
    expect(two.graph.edges[3]).toBe(one.graph.edges[3]);
    // Another key remembers its own body only.
    const other = parser.parse('other', text, 64).value as typeof one;
    expect(other.graph.nodes[6]).not.toBe(two.graph.nodes[6]);
  });

  it.each([
    ['a node inserted', body([node(99), ...nodes], edges)],
    ['a node deleted', body(nodes.slice(1), edges)],
    ['nodes reversed', body([...nodes].reverse(), edges)],
    [
      'every node moved',
      body(
        nodes.map((n, i) => node(i, 5)),
        edges,
      ),
    ],
    ['an element twice', body([nodes[0], nodes[0], ...nodes], edges)],
    ['nodes and edges swapped', JSON.stringify({ version: 1, graph: { edges, nodes } })],
    ['whitespace around elements', JSON.stringify({ version: 2, graph: { nodes, edges } }, null, 2)],
    ['a scalar among the elements', body([1, 'x', null, ...nodes, [node(1)]], edges)],
    ['other fields', body(nodes, edges, { name: 'P', env: [{ name: 'A', required: true }] })],
    ['a key with an escape', first.replace('"graph"', '"gr\\u0061ph"')],
    [
      'a repeated key (the last wins)',
      first.replace('{"version":1,', `{"version":1,"graph":{"nodes":[],"edges":[]},`),
    ],
    ['a repeated inner key', first.replace('"edges":[', '"nodes":[{"id":"x"}],"edges":[')],
    ['an empty graph', body([], [])],
    ['a top-level array', JSON.stringify([{ graph: { nodes } }])],
    ['a scalar', '42'],
  ])('%s: the same value as JSON.parse', (_, text) => {
    const { value } = parsedAfter([first], text);
    if (value !== undefined) expect(value).toEqual(JSON.parse(text));
    // and a second time (its own elements remembered), and back to the first
    const parser = new ReusingParser();
    expect(parsedAfter([first, text], text, parser).value ?? JSON.parse(text)).toEqual(JSON.parse(text));
    expect(parsedAfter([], first, parser).value).toEqual(JSON.parse(first));
  });

  it('reuses an element once per body, so two equal elements are two objects', () => {
    const text = body([nodes[0], nodes[0], nodes[0]], []);
    const value = parsedAfter([first], text).value as { graph: { nodes: object[] } };
    const [a, b, c] = value.graph.nodes;
    expect(a).not.toBe(b);
    expect(b).not.toBe(c);
  });

  it.each([
    ['__proto__ as a key', first.replace('"id":"n3"', '"__proto__":{"x":1},"id":"n3"')],
    ['an escaped __proto__', first.replace('"id":"n3"', '"\\u005f_proto__":{"x":1},"id":"n3"')],
    ['constructor as a key', first.replace('"id":"n3"', '"constructor":{"prototype":{"x":1}},"id":"n3"')],
    ['a byte-order mark', `\uFEFF${first}`],
    ['invalid JSON inside an element', first.replace('"id":"n3"', '"id":n3')],
    ['invalid JSON after the elements', `${first.slice(0, -1)},}`],
    ['an unfinished string', first.slice(0, 200)],
    ['an element glued to a number', first.replace('[{"id":"n0"', '[1{"id":"n0"')],
    ['an element after a minus sign', first.replace('[{"id":"n0"', '[-{"id":"n0"')],
    ['trailing text', `${first} x`],
    ['an empty body', ''],
  ])('%s: no value (the usual parser answers, with its checks and errors)', (_, text) => {
    expect(parsedAfter([first], text).value).toBeUndefined();
    expect(parsedAfter([], text).value).toBeUndefined();
  });

  it('finds the depth of reused elements and of the rest, stopping past the limit', () => {
    const deep = (n: number): unknown => (n === 0 ? 1 : { a: deep(n - 1) });
    const text = body([...nodes, { id: 'd', data: deep(70) }], edges);
    const parser = new ReusingParser();
    expect(parser.parse('k', text, 64).depth).toBe(65);
    expect(parser.parse('k', text, 64).value).toBeUndefined();
    const ok = body([...nodes, { id: 'd', data: deep(50) }], edges);
    expect(parser.parse('k', ok, 64).depth).toBe(jsonDepth(ok));
    expect(parser.parse('k', ok, 64).depth).toBe(jsonDepth(ok)); // every element reused
  });

  it('gives the same values as JSON.parse over a run of random edits', () => {
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const parser = new ReusingParser();
    let current = nodes.slice();
    let currentEdges = edges.slice();
    for (let round = 0; round < 200; round += 1) {
      const pick = random(6);
      if (pick === 0) current[random(current.length)] = node(random(50), random(1000));
      else if (pick === 1) current.splice(random(current.length + 1), 0, node(100 + round));
      else if (pick === 2 && current.length > 1) current.splice(random(current.length), 1);
      else if (pick === 3) currentEdges = currentEdges.filter(() => random(10) > 0);
      else if (pick === 4) currentEdges.push(edge(random(30), random(30)));
      else current = [...current.slice(random(5)), ...current.slice(0, 2)];
      const text = body(current, currentEdges, round % 7 === 0 ? { name: `r${round}` } : {});
      const answer = parser.parse('k', text, 64);
      expect(answer.value).toEqual(JSON.parse(text));
      expect(answer.depth).toBe(jsonDepth(text));
    }
  });
});
