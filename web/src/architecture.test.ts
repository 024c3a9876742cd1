// The web app's structure, checked (README, "Web architecture"): one path from a click to the server, folders that
// import each other one way only, files that stay short.
import { describe, expect, it } from 'vitest';

const sources = import.meta.glob(['./**/*.ts', './**/*.tsx', '!./**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/** `./panels/RunsTab.tsx` → the relative imports it makes, as paths from src (`store`, `project/run-actions`). */
function importsOf(file: string): string[] {
  const dir = file.split('/').slice(1, -1);
  const found: string[] = [];
  for (const m of sources[file]!.matchAll(/(?:import|export)[^'";]*?from\s+'(\.[^']+)'/g)) {
    const parts = [...dir];
    for (const p of m[1]!.split('/')) {
      if (p === '..') parts.pop();
      else if (p !== '.') parts.push(p);
    }
    found.push(parts.join('/'));
  }
  return found;
}

/** The folder a module is in; `(root)` for App.tsx and main.tsx. `store` is store/index.ts. */
const folderOf = (path: string) =>
  path.includes('/') || !(`./${path}.ts` in sources || `./${path}.tsx` in sources)
    ? path.split('/')[0]!
    : '(root)';

describe('web architecture', () => {
  it("only action modules (*-actions.ts, a feature's *-store.ts) call the API client", () => {
    const callers = Object.keys(sources).filter(
      (f) => !f.startsWith('./api/') && importsOf(f).some((i) => i === 'api' || i.startsWith('api/')),
    );
    expect(callers.length).toBeGreaterThan(0);
    expect(callers.filter((f) => !/-(actions|store)\.ts$/.test(f))).toEqual([]);
  });

  it('folders import each other one way only', () => {
    const edges = new Map<string, Set<string>>();
    for (const file of Object.keys(sources)) {
      const from = folderOf(file.slice(2).replace(/\.tsx?$/, ''));
      for (const to of importsOf(file).map(folderOf))
        if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
    // A depth-first walk: a folder met again while still on the path closes a cycle.
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const walk = (folder: string, path: string[]) => {
      state.set(folder, 'open');
      for (const next of edges.get(folder) ?? []) {
        if (state.get(next) === 'open') {
          const loop = [...path, folder];
          cycles.push([...loop.slice(loop.indexOf(next)), next].join(' → '));
        } else if (!state.has(next)) walk(next, [...path, folder]);
      }
      state.set(folder, 'done');
    };
    for (const folder of edges.keys()) if (!state.has(folder)) walk(folder, []);
    expect(edges.size).toBeGreaterThan(5);
    expect(cycles).toEqual([]);
  });

  it('no module is over 350 lines (tests and CSS aside)', () => {
    const long = Object.entries(sources)
      .map(([file, text]) => `${file}: ${text.split('\n').length} lines`)
      .filter((line) => Number(/: (\d+) lines/.exec(line)![1]) > 350);
    expect(long).toEqual([]);
  });
});
