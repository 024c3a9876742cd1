// validateAll at scale: every node's problems in one store update, and nothing set again when nodes only move.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { designerStore } from '../store';
import type { DesignerNode } from '../store/graph-ops';
import { validateAll, validateUnlessDragging } from './validation';

const node = (i: number, x = 0): DesignerNode =>
  ({
    id: `n${i}`,
    type: 'component',
    position: { x, y: 0 },
    data: { label: `asset_${i}`, component_type: 'missing.Component', attributes: {} },
  }) as DesignerNode;

describe('validateAll', () => {
  beforeEach(() => {
    designerStore.setState({
      nodes: Array.from({ length: 200 }, (_, i) => node(i)),
      schemas: { 'missing.Component': { error: 'not installed' } },
      formProblems: {},
    });
  });

  it('sets the warnings of all nodes in one store update, and none again when the nodes only move', () => {
    let updates = 0;
    const unsubscribe = designerStore.subscribe(() => (updates += 1));
    validateAll();
    expect(updates).toBe(1);
    const problems = designerStore.getState().formProblems;
    expect(Object.keys(problems)).toHaveLength(200);
    expect(problems.n7![0]!.message).toMatch(/asset_7: the schema of missing.Component is not available/);

    // A drag step: new node objects, the same data.
    designerStore.setState((s) => ({ nodes: s.nodes.map((n) => ({ ...n, position: { x: 50, y: 0 } })) }));
    updates = 0;
    validateAll();
    expect(updates).toBe(0);
    expect(designerStore.getState().formProblems).toBe(problems);

    // A rename: that node's warning says its new name.
    designerStore.setState((s) => ({
      nodes: s.nodes.map((n) => (n.id === 'n7' ? { ...n, data: { ...n.data, label: 'renamed' } } : n)),
    }));
    updates = 0;
    validateAll();
    unsubscribe();
    expect(updates).toBe(1);
    expect(designerStore.getState().formProblems.n7![0]!.message).toMatch(/^renamed:/);
    expect(designerStore.getState().formProblems.n8).toBe(problems.n8);
  });

  it('sets a warning again once the problems were cleared (another project, same data objects)', () => {
    validateAll();
    designerStore.setState({ formProblems: {} });
    validateAll();
    expect(Object.keys(designerStore.getState().formProblems)).toHaveLength(200);
  });

  it('waits while a node is dragged, and checks once it is dropped', () => {
    designerStore.setState((s) => ({
      nodes: s.nodes.map((n, i) => (i === 3 ? { ...n, dragging: true } : n)),
    }));
    validateUnlessDragging();
    expect(designerStore.getState().formProblems).toEqual({});
    designerStore.setState((s) => ({
      nodes: s.nodes.map((n) => (n.dragging ? { ...n, dragging: false } : n)),
    }));
    validateUnlessDragging();
    expect(Object.keys(designerStore.getState().formProblems)).toHaveLength(200);
  });

  it('checks attributes against a real schema once the schema check (loaded after the canvas) is there', async () => {
    designerStore.setState({
      nodes: [{ ...node(1), data: { label: 'orders', component_type: 'my.Sql', attributes: { sql: 5 } } }],
      schemas: {
        'my.Sql': { schema: { type: 'object', required: ['sql'], properties: { sql: { type: 'string' } } } },
      },
      formProblems: {},
    } as never);
    validateAll();
    // The check loads on demand; when it arrives validateAll runs again and the node's problem is there.
    await vi.waitFor(() => expect(designerStore.getState().formProblems.n1).toBeDefined(), { timeout: 5000 });
    const problems = designerStore.getState().formProblems.n1!;
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/^orders: sql must be string/);
  });
});
