import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultAttributes,
  followRename,
  nodeFiles,
  type GraphNode,
  type ProjectFile,
} from '@designer/shared';
import { REPO_ROOT } from '../../config.js';
import { followFileRenames, writeStarterFiles } from './node-files.js';
import { dgProblems, missingEnvProblems } from './problems.js';
import { ownDataHash } from './state.js';

const root = '/tmp/repro/7107c9cc-11de-4c75-a966-d62569baa6a1';
const project = {
  package_name: 'shop',
  graph: {
    nodes: [
      {
        id: 'a',
        type: 'component',
        position: { x: 0, y: 0 },
        data: { label: 'extract', component_type: 'dagster.PythonScriptComponent', attributes: {} },
      },
      {
        id: 'b',
        type: 'component',
        position: { x: 0, y: 0 },
        data: { label: 'summarize', component_type: 'dagster.PythonScriptComponent', attributes: {} },
      },
    ],
    edges: [],
  },
} as unknown as ProjectFile;

describe('dgProblems (recorded dg 1.13.27 output)', () => {
  it('reads `dg check defs` load errors: root cause, defs.yaml line, node', () => {
    const output = readFileSync(
      path.join(REPO_ROOT, 'fixtures', 'dg-output', 'check-defs-extra-field.txt'),
      'utf8',
    );
    expect(dgProblems(output, project, root, 'dg check defs')).toEqual([
      {
        severity: 'error',
        nodeId: 'b',
        file: 'src/shop/defs/summarize/defs.yaml',
        line: 8,
        message: expect.stringMatching(
          /^summarize: dg check defs: pydantic_core._pydantic_core.ValidationError: 1 validation error .*not_a_field.*Extra inputs are not permitted/,
        ),
      },
    ]);
  });

  it('reads `dg check yaml` lines', () => {
    const output = `${root}/src/shop/defs/extract/defs.yaml:3 - dagster.PythonScriptComponent attributes 'execution' is a required property\n     | \n`;
    expect(dgProblems(output, project, root, 'dg check yaml')).toEqual([
      {
        severity: 'error',
        nodeId: 'a',
        file: 'src/shop/defs/extract/defs.yaml',
        line: 3,
        message: "extract: attributes 'execution' is a required property",
        hint: 'Fill the required field in the Attributes form.',
      },
    ]);
  });

  // A defs.yaml with a YAML syntax error (issue 14, finding 9): at its file and line, never the traceback line.
  const file = `${root}/src/shop/defs/extract/defs.yaml`;
  it.each([
    [
      'a PyYAML traceback',
      [
        'Traceback (most recent call last):',
        `  File "${root}/.venv/lib/python3.11/site-packages/yaml/parser.py", line 483, in parse_flow_sequence_entry`,
        '    raise ParserError("while parsing a flow sequence", self.marks[-1],',
        'yaml.parser.ParserError: while parsing a flow sequence',
        `  in "${file}", line 3, column 11:`,
        '      assets: [unclosed',
        '              ^',
        "expected ',' or ']', but got ':'",
        `  in "${file}", line 4, column 12:`,
        '      execution: {path: orders.py}',
        '               ^',
      ].join('\n'),
      3,
      "extract: dg check yaml: YAML syntax error: while parsing a flow sequence; expected ',' or ']', but got ':'",
    ],
    [
      "dg's own line",
      `${file}:6 -  Unable to parse YAML: while scanning a quoted scalar, found unexpected end of stream\n     | \n   5 | \tbad: 1\n     | ^ Unable to parse YAML: while scanning a quoted scalar, found unexpected end of stream\n`,
      6,
      'extract: YAML syntax error: while scanning a quoted scalar, found unexpected end of stream',
    ],
  ])('reads %s of a YAML syntax error', (_name, output, line, message) => {
    expect(dgProblems(output, project, root, 'dg check yaml')).toEqual([
      {
        severity: 'error',
        nodeId: 'a',
        file: 'src/shop/defs/extract/defs.yaml',
        line,
        message,
        hint: 'Fix the YAML syntax at the given line.',
      },
    ]);
  });
});

describe('missingEnvProblems', () => {
  const project = {
    id: 'p',
    package_name: 'shop',
    env: [{ name: 'OPTIONAL', required: false }],
    graph: {
      nodes: [
        {
          id: 'a',
          type: 'component',
          position: { x: 0, y: 0 },
          data: {
            label: 'load',
            component_type: 't',
            attributes: { k: '{{ env.TOKEN }}', o: '{{ env.OPTIONAL }}' },
          },
        },
        {
          id: 'b',
          type: 'component',
          position: { x: 0, y: 0 },
          data: { label: 'other', component_type: 't', attributes: { k: '{{ env.TOKEN }}' } },
        },
      ],
      edges: [],
    },
  } as unknown as ProjectFile;

  it('puts each missing required variable on every node that uses it, with the hint to set it', () => {
    const problems = missingEnvProblems(project, {}, {});
    expect(problems.map((p) => [p.nodeId, p.message])).toEqual([
      ['a', 'load: the environment variable TOKEN is not set.'],
      ['b', 'other: the environment variable TOKEN is not set.'],
    ]);
    expect(problems[0]!.hint).toContain('Environment panel');
  });

  it('is quiet once the variable is set in .env or in the server environment', () => {
    expect(missingEnvProblems(project, { TOKEN: 'x' }, {})).toEqual([]);
    expect(missingEnvProblems(project, {}, { TOKEN: 'x' })).toEqual([]);
  });
});

describe('writeStarterFiles', () => {
  const node = (type: string, attributes: Record<string, unknown>) =>
    ({
      id: 'n',
      type: 'component',
      position: { x: 0, y: 0 },
      data: { label: 'orders', component_type: type, attributes },
    }) as never;

  it('writes a Pipes starter for a script and a SQL starter for a SQL template file, never overwriting', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'starter-'));
    try {
      const script = node('dagster.PythonScriptComponent', {
        assets: [{ key: 'raw/orders' }],
        execution: { path: 'orders.py' },
      });
      const sql = node('dagster.TemplatedSqlComponent', {
        assets: [{ key: 'marts/orders' }],
        sql_template: { path: 'sql/orders.sql' },
      });
      expect(await writeStarterFiles(script, dir)).toEqual([path.join(dir, 'orders.py')]);
      expect(await writeStarterFiles(sql, dir)).toEqual([path.join(dir, 'sql', 'orders.sql')]);
      expect(readFileSync(path.join(dir, 'orders.py'), 'utf8')).toContain('open_dagster_pipes');
      expect(readFileSync(path.join(dir, 'sql', 'orders.sql'), 'utf8')).toContain(
        'create or replace table orders as',
      );
      writeFileSync(path.join(dir, 'orders.py'), 'mine\n');
      expect(await writeStarterFiles(script, dir)).toEqual([]);
      expect(readFileSync(path.join(dir, 'orders.py'), 'utf8')).toBe('mine\n');
      const inline = node('dagster.TemplatedSqlComponent', { sql_template: 'select 1' });
      expect(await writeStarterFiles(inline, dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an untouched starter follows the checks added and removed in the Checks tab; an edited script is kept', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'starter-'));
    const file = path.join(dir, 'orders.py');
    const withChecks = (checks: Array<{ name: string }>) =>
      node('dagster.PythonScriptComponent', {
        assets: [{ key: 'raw/orders' }],
        ...(checks.length ? { checks: checks.map((c) => ({ ...c, asset: 'raw/orders' })) } : {}),
        execution: { path: 'orders.py' },
      });
    try {
      await writeStarterFiles(withChecks([]), dir);
      expect(readFileSync(file, 'utf8')).not.toContain('report_asset_check');
      expect(await writeStarterFiles(withChecks([{ name: 'not_empty' }, { name: 'fresh' }]), dir)).toEqual([
        file,
      ]);
      expect(readFileSync(file, 'utf8')).toContain(
        'context.report_asset_check(check_name="not_empty", passed=True)',
      );
      expect(readFileSync(file, 'utf8')).toContain(
        'context.report_asset_check(check_name="fresh", passed=True)',
      );
      expect(await writeStarterFiles(withChecks([{ name: 'fresh' }]), dir)).toEqual([file]);
      expect(readFileSync(file, 'utf8')).not.toContain('not_empty');
      expect(await writeStarterFiles(withChecks([{ name: 'fresh' }]), dir)).toEqual([]); // nothing to change
      const edited = readFileSync(file, 'utf8').replace('# Your code here', 'rows = load()  # mine');
      writeFileSync(file, edited);
      expect(await writeStarterFiles(withChecks([{ name: 'fresh' }, { name: 'unique' }]), dir)).toEqual([]);
      expect(readFileSync(file, 'utf8')).toBe(edited);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an untouched starter follows a rename (the SQL names the new table); an edited one is kept', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'starter-'));
    // As the canvas renames (shared followRename) and sync moves the file (followFileRenames) before the starters.
    const renamed = (from: GraphNode, label: string) => ({
      ...from,
      data: { ...from.data, label, attributes: followRename(from.data.attributes, from.data.label, label) },
    });
    const rename = async (from: GraphNode, label: string) => {
      const to = renamed(from, label);
      const files = Object.fromEntries(nodeFiles(from).map((f) => [f.field, f.path]));
      await followFileRenames(files, to, dir, dir);
      return { node: to, written: await writeStarterFiles(to, dir, dir, from.data.label) };
    };
    try {
      const type = 'dagster.TemplatedSqlComponent';
      const sql = node(type, defaultAttributes(type, 'templated_sql'));
      (sql as GraphNode).data.label = 'templated_sql';
      await writeStarterFiles(sql, dir);
      expect(readFileSync(path.join(dir, 'templated_sql.sql'), 'utf8')).toContain(
        'create or replace table templated_sql as',
      );
      const first = await rename(sql, 'orders');
      expect(first.written).toEqual([path.join(dir, 'orders.sql')]);
      const text = readFileSync(path.join(dir, 'orders.sql'), 'utf8');
      expect(text).toContain('-- orders: the SQL Dagster runs to materialize orders.');
      expect(text).toContain('create or replace table orders as');
      expect(text).not.toContain('templated_sql');
      // A key the user chose stays in the starter after a rename; only the label follows.
      const chosen = node(type, { assets: [{ key: 'marts/daily' }], sql_template: { path: 'daily.sql' } });
      await writeStarterFiles(chosen, dir);
      await rename(chosen, 'daily_sales');
      expect(readFileSync(path.join(dir, 'daily.sql'), 'utf8')).toContain(
        '-- daily_sales: the SQL Dagster runs to materialize marts/daily.',
      );
      // Once edited, the file is the user's: a rename moves it and leaves its text as it is.
      const edited = text.replace('select 1 as id', 'select * from raw_orders');
      writeFileSync(path.join(dir, 'orders.sql'), edited);
      const second = await rename(first.node, 'customers');
      expect(second.written).toEqual([]);
      expect(readFileSync(path.join(dir, 'customers.sql'), 'utf8')).toBe(edited);

      // A script's untouched starter follows too (its docstring and log name the node).
      const scriptType = 'dagster.PythonScriptComponent';
      const script = node(scriptType, defaultAttributes(scriptType, 'python_script'));
      (script as GraphNode).data.label = 'python_script';
      await writeStarterFiles(script, dir);
      expect((await rename(script, 'load')).written).toEqual([path.join(dir, 'load.py')]);
      expect(readFileSync(path.join(dir, 'load.py'), 'utf8')).toContain('context.log.info("Running load")');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports the node's declared checks, so the first run evaluates them", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'starter-'));
    try {
      const two = node('dagster.PythonScriptComponent', {
        assets: [{ key: 'raw/orders' }, { key: 'raw/items' }],
        checks: [{ name: 'no_nulls', asset: 'raw/items' }],
        execution: { path: 'orders.py' },
      });
      await writeStarterFiles(two, dir);
      expect(readFileSync(path.join(dir, 'orders.py'), 'utf8')).toContain(
        '    context.report_asset_check(check_name="no_nulls", passed=True, asset_key="raw/items")',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ownDataHash (when keys learned from a load are stale)', () => {
  const dbt: GraphNode = {
    id: 'd',
    type: 'component',
    position: { x: 0, y: 0 },
    data: {
      label: 'shop_dbt',
      component_type: 'dagster_dbt.DbtProjectComponent',
      attributes: { project: '{{ context.project_root }}/dbt_shop' },
    },
  };
  const withData = (data: Partial<GraphNode['data']>): GraphNode => ({
    ...dbt,
    data: { ...dbt.data, ...data },
  });
  it.each([
    ['a key prefix', withData({ translation: { key_prefix: 'shop' } }), true],
    ['another project', withData({ attributes: { project: 'elsewhere' } }), true],
    ['a rename', withData({ label: 'warehouse' }), true],
    [
      'a post-processing rule',
      withData({ post_processing: { assets: [{ target: '*', attributes: {} }] } }),
      true,
    ],
    ['a move on the canvas', { ...dbt, position: { x: 40, y: 80 } }, false],
    ['the same data', withData({}), false],
  ])('%s changes it: %s', (_, node, changes) => {
    expect(ownDataHash(node) !== ownDataHash(dbt)).toBe(changes);
  });
});
