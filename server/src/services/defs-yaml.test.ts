import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadYaml, writeDefsYaml } from './defs-yaml.js';

const scaffolded = 'type: dagster.PythonScriptComponent\n\nattributes: {}\n';

describe('writeDefsYaml', () => {
  it('fills a freshly scaffolded file', () => {
    const out = writeDefsYaml(scaffolded, {
      type: 'dagster.PythonScriptComponent',
      attributes: { assets: [{ key: 'a' }], execution: { path: 'a.py' } },
    });
    expect(parse(out)).toEqual({
      type: 'dagster.PythonScriptComponent',
      attributes: { assets: [{ key: 'a' }], execution: { path: 'a.py' } },
    });
  });

  it('keeps comments, key order and keys it does not manage through an edit', () => {
    const hand = [
      '# Orders extraction, owned by the data team',
      'type: dagster.PythonScriptComponent',
      'template_vars_module: .vars',
      'attributes:',
      '  # the script lives next to this file',
      '  execution:',
      '    path: extract.py # relative to this folder',
      '  assets:',
      '    - key: raw/orders',
      '      description: Raw orders',
      '',
    ].join('\n');
    const out = writeDefsYaml(hand, {
      type: 'dagster.PythonScriptComponent',
      attributes: {
        execution: { path: 'extract_v2.py' },
        assets: [{ key: 'raw/orders', description: 'All raw orders' }],
      },
      requirements: { env: ['API_TOKEN'] },
    });
    expect(out).toContain('# Orders extraction, owned by the data team');
    expect(out).toContain('# the script lives next to this file');
    expect(out).toContain('path: extract_v2.py # relative to this folder');
    expect(out).toContain('template_vars_module: .vars');
    expect(out.indexOf('execution')).toBeLessThan(out.indexOf('assets'));
    expect(parse(out)).toEqual({
      type: 'dagster.PythonScriptComponent',
      template_vars_module: '.vars',
      attributes: {
        execution: { path: 'extract_v2.py' },
        assets: [{ key: 'raw/orders', description: 'All raw orders' }],
      },
      requirements: { env: ['API_TOKEN'] },
    });
  });

  it('removes managed keys that are no longer set', () => {
    const before = writeDefsYaml(scaffolded, {
      type: 'x.Y',
      attributes: { a: 1, b: 2 },
      post_processing: { assets: [{ target: '*', attributes: { group_name: 'g' } }] },
    });
    const after = writeDefsYaml(before, { type: 'x.Y', attributes: { a: 1 } });
    expect(parse(after)).toEqual({ type: 'x.Y', attributes: { a: 1 } });
  });

  it('is stable: writing the same values twice changes nothing', () => {
    const managed = {
      type: 'x.Y',
      attributes: { list: [1, 2, { k: 'v' }], nested: { deep: { value: true } } },
    };
    const once = writeDefsYaml(scaffolded, managed);
    expect(writeDefsYaml(once, managed)).toBe(once);
  });

  it('refuses a file it cannot parse instead of overwriting it', () => {
    expect(() => writeDefsYaml('type: [unclosed', { type: 'x.Y', attributes: {} })).toThrow(
      /cannot be parsed/,
    );
  });
});

describe('loadYaml (every YAML the server reads)', () => {
  const bomb = [
    'a: &a [x, x, x, x, x, x, x, x, x]',
    ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`),
  ].join('\n');
  it.each([
    ['an alias bomb', bomb, /alias bomb/, 2],
    [
      'flow nesting 10,000 deep',
      `x:\n  y: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
      /nested more than 100/,
      2,
    ],
    [
      'block nesting 150 deep',
      Array.from({ length: 150 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n',
      /nested more than 100/,
      1,
    ],
    ['over 256 KiB', `x: "${'a'.repeat(1024 * 1024)}"\n`, /larger than 256 KiB/, 1],
    ['a syntax error', 'type: x\nattributes:\n  a: b: c\n', /YAML syntax error/, 3],
    ['a repeated key', 'type: x\nattributes:\n  a: 1\n  b: 2\n  a: 3\n', /"a" is repeated/, 5],
  ])('%s is a located error, not an exception', (_name, text, message, line) => {
    const loaded = loadYaml(text);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.error.message).toMatch(message);
    expect(loaded.error.line).toBe(line);
  });

  it('reads aliases used a few times, and brackets inside quotes and comments', () => {
    const loaded = loadYaml(
      `base: &b {k: 1}\nuse: [*b, *b]\nq: "${'['.repeat(200)}"\n# ${'{'.repeat(200)}\n`,
    );
    expect(loaded.ok && loaded.value).toEqual({
      base: { k: 1 },
      use: [{ k: 1 }, { k: 1 }],
      q: '['.repeat(200),
    });
  });
});

it('reads keys in linear time: 10× the keys is not 100× the time (no pairwise duplicate-key check)', () => {
  const timeOf = (n: number) => {
    const text = Array.from({ length: n }, (_, i) => `k${i}: 1`).join('\n');
    const started = performance.now();
    expect(loadYaml(text).ok).toBe(true);
    return performance.now() - started;
  };
  timeOf(2_000); // warm up the parser
  expect(timeOf(20_000) / timeOf(2_000)).toBeLessThan(40);
});
