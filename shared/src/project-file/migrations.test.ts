import { describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { MIGRATIONS, migrateProjectFile, ProjectFormatError, type Migration } from './migrations.js';
import { CURRENT_FORMAT_VERSION, ProjectFile } from './schema.js';

// A made-up history (1 → 2 renames a key, 2 → 3 adds a default) proves the framework on real steps.
const history: Record<number, Migration> = {
  1: ({ title, ...rest }) => ({ ...rest, name: title }),
  2: (doc) => ({ ...doc, git_branch: doc.git_branch ?? 'main' }),
};

describe('migrateProjectFile', () => {
  const ok: Array<[string, unknown, number, Record<string, unknown>]> = [
    ['current format passes through', { formatVersion: 1, name: 'a' }, 1, { formatVersion: 1, name: 'a' }],
    [
      '1 → 3 applies both steps',
      { formatVersion: 1, title: 't' },
      3,
      { formatVersion: 3, name: 't', git_branch: 'main' },
    ],
    [
      '2 → 3 applies one step',
      { formatVersion: 2, name: 'n', git_branch: 'dev' },
      3,
      { formatVersion: 3, name: 'n', git_branch: 'dev' },
    ],
  ];
  it.each(ok)('%s', (_name, input, current, expected) => {
    expect(migrateProjectFile(input, history, current)).toEqual(expected);
  });

  const bad: Array<[string, unknown, number, string]> = [
    ['not an object', [1, 2], 1, 'not_an_object'],
    ['null', null, 1, 'not_an_object'],
    ['no formatVersion', { name: 'x' }, 1, 'unknown_format'],
    ['string formatVersion', { formatVersion: '1' }, 1, 'unknown_format'],
    ['zero', { formatVersion: 0 }, 1, 'unknown_format'],
    ['future format', { formatVersion: 4 }, 3, 'future_format'],
    ['gap in history', { formatVersion: 1 }, 5, 'unknown_format'],
  ];
  it.each(bad)('refuses %s', (_name, input, current, code) => {
    try {
      migrateProjectFile(input, history, current);
      expect.fail('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ProjectFormatError);
      expect((error as ProjectFormatError).code).toBe(code);
    }
  });

  it('does not mutate its input', () => {
    const input = { formatVersion: 1, title: 't' };
    migrateProjectFile(input, history, 3);
    expect(input).toEqual({ formatVersion: 1, title: 't' });
  });
});

// The real history: every row is a file as a designer of that format wrote it, and what this build reads.
const v1Node = {
  id: 'node_a',
  type: 'component',
  position: { x: 0, y: 0 },
  data: { label: 'a', component_type: 'dagster.PythonScriptComponent', attributes: {} },
};
const base = {
  id: '0b6f1f7e-2a1c-4c1e-9a4f-3f1d2c3b4a5e',
  name: 'P',
  package_name: 'p',
  version: 3,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  git_branch: 'main',
};
describe('MIGRATIONS (the real formats)', () => {
  const rows: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    [
      'format 1 with a component node → format 3, nodes unchanged',
      { ...base, formatVersion: 1, graph: { nodes: [v1Node], edges: [] } },
      { ...base, formatVersion: 3, graph: { nodes: [v1Node], edges: [] } },
    ],
    [
      'format 1 empty graph with env → format 3',
      { ...base, formatVersion: 1, graph: { nodes: [], edges: [] }, env: [{ name: 'X', required: true }] },
      { ...base, formatVersion: 3, graph: { nodes: [], edges: [] }, env: [{ name: 'X', required: true }] },
    ],
    [
      'format 2 with a Python definitions node → format 3, nodes unchanged',
      {
        ...base,
        formatVersion: 2,
        graph: {
          nodes: [{ ...v1Node, type: 'python', data: { ...v1Node.data, defined_at: { path: 'assets' } } }],
          edges: [],
        },
      },
      {
        ...base,
        formatVersion: 3,
        graph: {
          nodes: [{ ...v1Node, type: 'python', data: { ...v1Node.data, defined_at: { path: 'assets' } } }],
          edges: [],
        },
      },
    ],
  ];
  it.each(rows)('%s', (_name, input, expected) => {
    const migrated = migrateProjectFile(input, MIGRATIONS, CURRENT_FORMAT_VERSION);
    expect(migrated).toEqual(expected);
    expect(Value.Check(ProjectFile, migrated)).toBe(true);
  });

  const format2: Array<[string, unknown, boolean]> = [
    [
      'a Python definitions node',
      {
        ...v1Node,
        type: 'python',
        data: {
          label: 'assets',
          component_type: 'p.defs.assets',
          attributes: {},
          defined_at: { path: 'assets' },
        },
      },
      true,
    ],
    [
      'a document of a multi-document defs.yaml',
      { ...v1Node, data: { ...v1Node.data, defined_at: { path: 'ingest/defs.yaml', document: 2 } } },
      true,
    ],
    [
      'a path that climbs out of defs/',
      { ...v1Node, data: { ...v1Node.data, defined_at: { path: '../x/defs.yaml' } } },
      false,
    ],
    [
      'a negative document index',
      { ...v1Node, data: { ...v1Node.data, defined_at: { path: 'a/defs.yaml', document: -1 } } },
      false,
    ],
    [
      'a schedule node (format 3)',
      {
        ...v1Node,
        type: 'schedule',
        data: {
          label: 'nightly',
          component_type: 'p.components.scheduled_job.ScheduledJobComponent',
          attributes: { cron_schedule: '0 6 * * *' },
        },
      },
      true,
    ],
    ['an unknown node type', { ...v1Node, type: 'sensor' }, false],
  ];
  it.each(format2)('format 3 accepts or refuses %s', (_name, node, valid) => {
    const file = { ...base, formatVersion: 3, graph: { nodes: [node], edges: [] } };
    expect(Value.Check(ProjectFile, file)).toBe(valid);
  });
});
