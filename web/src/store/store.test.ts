import { beforeEach, describe, expect, it } from 'vitest';
import { toProjectGraph, fromProjectGraph } from './graph-ops';
import { createDesignerStore } from './index';

let store: ReturnType<typeof createDesignerStore>;
const s = () => store.getState();
const script = { type: 'dagster.PythonScriptComponent', name: 'Python Script' };
const sql = { type: 'dagster.TemplatedSqlComponent', name: 'Templated Sql' };
const labels = () => s().nodes.map((n) => n.data.label);

beforeEach(() => {
  store = createDesignerStore();
});

describe('adding and connecting', () => {
  it('gives new nodes unique, valid labels and selects them', () => {
    s().addComponent(script, { x: 0, y: 0 });
    s().addComponent(script, { x: 0, y: 0 });
    s().addComponent(sql, { x: 0, y: 0 });
    expect(labels()).toEqual(['python_script', 'python_script_2', 'templated_sql']);
    expect(
      s()
        .nodes.filter((n) => n.selected)
        .map((n) => n.data.label),
    ).toEqual(['templated_sql']);
  });

  it('points a new SQL node at the one DuckDB connection of the graph, and at a starter .sql file', () => {
    s().addComponent(
      { type: 'shop.components.duckdb_connection.DuckDBConnectionComponent', name: 'warehouse' },
      { x: 0, y: 0 },
    );
    const id = s().addComponent(sql, { x: 0, y: 0 });
    expect(s().nodes.find((n) => n.id === id)!.data.attributes).toEqual({
      assets: [{ key: 'templated_sql' }],
      sql_template: { path: 'templated_sql.sql' },
      connection: "{{ context.load_component('warehouse') }}",
    });
  });

  it('refuses self-loops, duplicates and cycles with a reason, and changes nothing', () => {
    const a = s().addComponent(script, { x: 0, y: 0 });
    const b = s().addComponent(script, { x: 0, y: 0 });
    const c = s().addComponent(script, { x: 0, y: 0 });
    expect(s().connectNodes(a, b)).toBeNull();
    expect(s().connectNodes(b, c)).toBeNull();
    const before = s().edges;
    expect(s().connectNodes(a, a)).toContain('itself');
    expect(s().connectNodes(a, b)).toContain('already');
    expect(s().connectNodes(c, a)).toContain('cycle');
    expect(s().edges).toBe(before);
  });

  it('renames with validation and uniqueness', () => {
    const a = s().addComponent(script, { x: 0, y: 0 });
    s().addComponent(sql, { x: 0, y: 0 });
    expect(s().renameNode(a, 'Bad Name')).toContain('lowercase');
    expect(s().renameNode(a, 'templated_sql')).toContain('already named');
    expect(s().renameNode(a, 'orders')).toBeNull();
    expect(labels()).toEqual(['orders', 'templated_sql']);
  });

  it("renames a fresh node's default key and script with it, and undoes both in one step", () => {
    const a = s().addComponent(script, { x: 0, y: 0 });
    expect(s().renameNode(a, 'load_orders')).toBeNull();
    expect(s().nodes[0]!.data.attributes).toEqual({
      assets: [{ key: 'load_orders' }],
      execution: { path: 'load_orders.py' },
    });
    s().undo();
    expect(s().nodes[0]!.data).toMatchObject({
      label: 'python_script',
      attributes: { assets: [{ key: 'python_script' }], execution: { path: 'python_script.py' } },
    });
  });
});

describe('a renamed or re-keyed upstream node', () => {
  it("takes its downstream nodes' own deps on its old key along (an imported project holds them), not others'", () => {
    const a = s().addComponent(script, { x: 0, y: 0 });
    const b = s().addComponent(script, { x: 300, y: 0 });
    const c = s().addComponent(script, { x: 300, y: 300 });
    // As an import makes them: the deps the edge stands for are in the downstream node's own attributes.
    const imported = (id: string, label: string) =>
      s().updateNode(id, { attributes: { assets: [{ key: label, deps: ['python_script', 'raw/manual'] }] } });
    imported(b, 'b');
    imported(c, 'c');
    expect(s().connectNodes(a, b)).toBeNull();
    const depsOf = (id: string) =>
      (s().nodes.find((n) => n.id === id)!.data.attributes.assets as Array<{ deps: string[] }>)[0]!.deps;

    expect(s().renameNode(a, 'source_a')).toBeNull();
    expect(depsOf(b)).toEqual(['source_a', 'raw/manual']);
    expect(depsOf(c)).toEqual(['python_script', 'raw/manual']); // no edge: not its upstream

    s().updateNode(a, {
      attributes: { assets: [{ key: 'sales/orders' }], execution: { path: 'source_a.py' } },
    });
    expect(depsOf(b)).toEqual(['sales/orders', 'raw/manual']);
  });
});

describe('undo / redo', () => {
  it('undoes and redoes adds, connections, deletes and attribute edits', () => {
    const a = s().addComponent(script, { x: 0, y: 0 });
    const initial = s().nodes[0]!.data.attributes;
    expect(initial).toEqual({ assets: [{ key: 'python_script' }], execution: { path: 'python_script.py' } });
    const b = s().addComponent(sql, { x: 100, y: 0 });
    s().connectNodes(a, b);
    s().updateNode(a, { attributes: { execution: { path: 'x.py' } } });
    s().selectOnly(b);
    s().deleteSelection();
    expect(s().nodes).toHaveLength(1);
    expect(s().edges).toHaveLength(0);

    s().undo();
    expect(s().nodes).toHaveLength(2);
    expect(s().edges).toHaveLength(1);
    s().undo();
    expect(s().nodes.find((n) => n.id === a)!.data.attributes).toEqual(initial);
    s().redo();
    expect(s().nodes.find((n) => n.id === a)!.data.attributes).toEqual({ execution: { path: 'x.py' } });
    s().redo();
    expect(s().nodes).toHaveLength(1);
    s().redo(); // nothing left to redo
    expect(s().nodes).toHaveLength(1);
  });

  it('coalesces typing in one field into one step', () => {
    const a = s().addComponent(script, { x: 0, y: 0 });
    const initial = s().nodes[0]!.data.attributes;
    for (const path of ['s', 'sc', 'scr', 'script.py'])
      s().updateNode(a, { attributes: { execution: { path } } }, `attributes:${a}`);
    s().undo();
    expect(s().nodes[0]!.data.attributes).toEqual(initial);
  });

  it('a new change clears the redo stack', () => {
    s().addComponent(script, { x: 0, y: 0 });
    s().undo();
    expect(s().future).toHaveLength(1);
    s().addComponent(sql, { x: 0, y: 0 });
    expect(s().future).toHaveLength(0);
  });

  it('records a drag as one step', () => {
    const a = s().addComponent(script, { x: 0, y: 0 });
    s().beginDrag();
    for (let x = 1; x <= 5; x += 1)
      s().onNodesChange([{ type: 'position', id: a, position: { x: x * 10, y: 0 }, dragging: true }]);
    expect(s().nodes[0]!.position).toEqual({ x: 50, y: 0 });
    s().undo();
    expect(s().nodes[0]!.position).toEqual({ x: 0, y: 0 });
  });
});

describe('copy / paste / duplicate', () => {
  it('pastes selected nodes with their inner edges only, fresh ids, unique labels', () => {
    const a = s().addComponent(script, { x: 0, y: 0 });
    const b = s().addComponent(sql, { x: 100, y: 0 });
    const c = s().addComponent(sql, { x: 200, y: 0 });
    s().connectNodes(a, b);
    s().connectNodes(b, c);
    store.setState({ nodes: s().nodes.map((n) => ({ ...n, selected: n.id !== c })) });
    expect(s().copy()).toBe(true);
    s().pasteClipboard();
    expect(labels()).toEqual([
      'python_script',
      'templated_sql',
      'templated_sql_2',
      'python_script_2',
      'templated_sql_3',
    ]);
    expect(s().edges).toHaveLength(3);
    const pasted = s().nodes.slice(3);
    expect(pasted.every((n) => n.selected)).toBe(true);
    expect(pasted.map((n) => n.id)).not.toContain(a);
    const newEdge = s().edges[2]!;
    expect([newEdge.source, newEdge.target]).toEqual([pasted[0]!.id, pasted[1]!.id]);
    // The copy keeps its layout and covers none of the nodes already there.
    const [first, second] = [pasted[0]!.position, pasted[1]!.position];
    const originals = s()
      .nodes.slice(0, 3)
      .map((n) => n.position);
    expect(second.x - first.x).toBe(originals[1]!.x - originals[0]!.x);
    for (const p of pasted)
      for (const o of originals)
        expect(Math.abs(p.position.x - o.x) >= 240 || Math.abs(p.position.y - o.y) >= 76).toBe(true);
  });

  it('duplicates deep copies: editing the copy leaves the original alone', () => {
    const a = s().addComponent(script, { x: 0, y: 0 });
    s().updateNode(a, { attributes: { assets: [{ key: 'a' }] } });
    s().duplicate();
    const copy = s().nodes[1]!;
    (copy.data.attributes.assets as Array<{ key: string }>)[0]!.key = 'changed';
    expect(s().nodes[0]!.data.attributes).toEqual({ assets: [{ key: 'a' }] });
    expect(copy.data.label).toBe('python_script_2');
  });

  it('cut removes what it copies', () => {
    s().addComponent(script, { x: 0, y: 0 });
    s().cut();
    expect(s().nodes).toHaveLength(0);
    s().pasteClipboard();
    expect(labels()).toEqual(['python_script']);
  });
});

describe('project graph round trip', () => {
  it('keeps nodes, edges, attributes and positions', () => {
    const a = s().addComponent(script, { x: 10.4, y: 20.6 });
    const b = s().addComponent(sql, { x: 300, y: 0 });
    s().connectNodes(a, b);
    s().updateNode(b, { attributes: { sql_template: 'select 1' }, translation: { group_name: 'g' } });
    const graph = toProjectGraph(s(), { x: 1, y: 2, zoom: 0.5 });
    expect(graph.nodes[0]!.position).toEqual({ x: 10, y: 21 });
    expect(graph.viewport).toEqual({ x: 1, y: 2, zoom: 0.5 });
    const back = toProjectGraph(fromProjectGraph(graph), graph.viewport);
    expect(back).toEqual(graph);
  });

  it('counts changes for autosave, but not selection', () => {
    const a = s().addComponent(script, { x: 0, y: 0 });
    const count = s().changeCount;
    s().selectOnly(null);
    s().selectOnly(a);
    expect(s().changeCount).toBe(count);
    s().updateNode(a, { attributes: { x: 1 } });
    expect(s().changeCount).toBe(count + 1);
  });

  it('counts a pan or zoom apart: saved too, but no edit ("Unsaved changes" is about edits)', () => {
    s().setProject({ id: 'p', name: 'P', version: 1 } as never);
    const edits = s().changeCount;
    s().setViewport({ x: 10, y: 20, zoom: 0.8 });
    expect(s().changeCount).toBe(edits);
    expect(s().viewChangeCount).toBe(s().savedViewChangeCount + 1);
    // A project set (opened, or saved by the server: a pull, a restore) has its view saved as it is.
    s().setProject({ id: 'p', name: 'P', version: 2 } as never);
    expect(s().viewChangeCount).toBe(s().savedViewChangeCount);
  });
});

describe('env declarations', () => {
  it('declares, describes and un-requires a variable in the project file, counting one change each', () => {
    s().setProject({
      id: 'p',
      name: 'P',
      version: 1,
      env: [{ name: 'A', required: true }],
    } as never);
    const before = s().changeCount;
    s().declareEnv('A', { description: 'the token' });
    s().declareEnv('B', { required: false });
    s().declareEnv('B', { required: false });
    expect(s().project!.env).toEqual([
      { name: 'A', required: true, description: 'the token' },
      { name: 'B', required: false },
    ]);
    expect(s().changeCount).toBe(before + 2);
    s().declareEnv('A', { description: '' });
    expect(s().project!.env![0]).toEqual({ name: 'A', required: true });
  });
});
