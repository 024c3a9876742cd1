// The chains of a graph (single nodes and straight runs a → b → c) laid out without ELK. ELK lays out each
// connected component on its own, at a fixed cost of a few milliseconds each: the bench's 1,000-node graph has 161
// such small components beside its big one, a third of its layout time. A chain's layered layout is a row, so we
// place these rows ourselves and give ELK the rest.

export interface Box {
  id: string;
  width: number;
  height: number;
}

export interface Link {
  id: string;
  source: string;
  target: string;
}

export interface Placed {
  positions: Map<string, { x: number; y: number }>;
  width: number;
  height: number;
}

/** Splits a graph into its chains (each in order, source first) and the rest, with the rest's edges. */
export function splitChains(
  boxes: readonly Box[],
  links: readonly Link[],
): { chains: Box[][]; rest: Box[]; restLinks: Link[] } {
  const index = new Map(boxes.map((b, i) => [b.id, i]));
  const parent = boxes.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const ins = new Array<number>(boxes.length).fill(0);
  const outs = new Array<number>(boxes.length).fill(0);
  const next = new Array<number>(boxes.length).fill(-1);
  const known: Array<[Link, number, number]> = [];
  for (const link of links) {
    const s = index.get(link.source);
    const t = index.get(link.target);
    if (s === undefined || t === undefined) continue;
    known.push([link, s, t]);
    outs[s]! += 1;
    ins[t]! += 1;
    next[s] = t;
    parent[root(s)] = root(t);
  }
  // A connected component whose nodes each have at most one edge in and one out, and no cycle, is a chain.
  const size = new Map<number, number>();
  const edgeCount = new Map<number, number>();
  const branched = new Set<number>();
  boxes.forEach((_, i) => {
    const r = root(i);
    size.set(r, (size.get(r) ?? 0) + 1);
    if (ins[i]! > 1 || outs[i]! > 1) branched.add(r);
  });
  for (const [, s] of known) edgeCount.set(root(s), (edgeCount.get(root(s)) ?? 0) + 1);
  const isChain = (r: number) => !branched.has(r) && (edgeCount.get(r) ?? 0) === size.get(r)! - 1;
  const chains: Box[][] = [];
  const rest: Box[] = [];
  boxes.forEach((box, i) => {
    if (!isChain(root(i))) rest.push(box);
    else if (ins[i] === 0) {
      const chain: Box[] = [];
      for (let at = i; at !== -1; at = next[at]!) chain.push(boxes[at]!);
      chains.push(chain);
    }
  });
  const restLinks = known.filter(([, s]) => !isChain(root(s))).map(([link]) => link);
  return { chains, rest, restLinks };
}

/**
 * Places each chain as a row (`layerGap` between neighbours, centred on the row's tallest node) and packs the
 * rows into lines below `top`, no wider than `maxWidth` (or, alone, about 1.6 times as wide as high), longest first.
 */
export function packChains(
  chains: readonly Box[][],
  spacing: { layerGap: number; gap: number },
  top: number,
  maxWidth: number,
): Placed {
  const rows = chains
    .map((chain, order) => ({
      chain,
      order,
      width: chain.reduce((w, b) => w + b.width, 0) + spacing.layerGap * (chain.length - 1),
      height: Math.max(...chain.map((b) => b.height)),
    }))
    .sort((a, b) => b.chain.length - a.chain.length || a.order - b.order);
  const area = rows.reduce((sum, r) => sum + (r.width + spacing.gap) * (r.height + spacing.gap), 0);
  const limit = Math.max(maxWidth, Math.sqrt(area * 1.6), ...rows.map((r) => r.width));
  const positions = new Map<string, { x: number; y: number }>();
  let x = 0;
  let y = top;
  let lineHeight = 0;
  let width = 0;
  for (const row of rows) {
    if (x > 0 && x + row.width > limit) {
      y += lineHeight + spacing.gap;
      x = 0;
      lineHeight = 0;
    }
    let at = x;
    for (const box of row.chain) {
      positions.set(box.id, { x: at, y: y + (row.height - box.height) / 2 });
      at += box.width + spacing.layerGap;
    }
    width = Math.max(width, x + row.width);
    lineHeight = Math.max(lineHeight, row.height);
    x += row.width + spacing.gap;
  }
  return { positions, width, height: rows.length ? y + lineHeight : top };
}
