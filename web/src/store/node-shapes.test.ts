import { Position, type NodeChange } from '@xyflow/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DesignerNode } from './graph-ops';
import {
  COMPONENT_SHAPE,
  commonShapes,
  measuredShapes,
  recordShapes,
  shapeBook,
  withCurrentSizes,
  withRecordedShapes,
  withShapes,
  withoutEstimates,
  type MeasuredNode,
  type NodeShape,
} from './node-shapes';

const node = (id: string, type: DesignerNode['type'] = 'component', extra: Partial<DesignerNode> = {}) =>
  ({
    id,
    type,
    position: { x: 0, y: 0 },
    data: { label: id, component_type: 'dagster.PythonScriptComponent', attributes: {} },
    ...extra,
  }) as DesignerNode;

const tall: NodeShape = {
  width: 240,
  height: 90,
  handles: [
    { id: null, type: 'target', position: Position.Left, x: -5, y: 40, width: 10, height: 10 },
    { id: null, type: 'source', position: Position.Right, x: 235, y: 40, width: 10, height: 10 },
  ],
};
const python: NodeShape = { ...tall, height: 120 };

describe('shapeBook', () => {
  it('keeps each distinct shape once and points every node at its own', () => {
    const book = shapeBook([
      { id: 'a', type: 'component', shape: COMPONENT_SHAPE },
      { id: 'b', type: 'component', shape: { ...tall } },
      { id: 'c', type: 'component', shape: { ...COMPONENT_SHAPE } },
    ]);
    expect(book.shapes).toEqual([COMPONENT_SHAPE, tall]);
    expect(book.nodes).toEqual({ a: 0, b: 1, c: 0 });
  });

  it('keeps the same box apart for two node types', () => {
    const book = shapeBook([
      { id: 'a', type: 'component', shape: tall },
      { id: 'b', type: 'python', shape: tall },
    ]);
    expect(book.shapes).toHaveLength(2);
  });
});

describe('commonShapes', () => {
  it('gives each type the shape most of its nodes have', () => {
    const book = shapeBook([
      { id: 'a', type: 'component', shape: tall },
      { id: 'b', type: 'component', shape: COMPONENT_SHAPE },
      { id: 'c', type: 'component', shape: COMPONENT_SHAPE },
      { id: 'p', type: 'python', shape: python },
    ]);
    expect(commonShapes(book, { a: 'component', b: 'component', c: 'component', p: 'python' })).toEqual({
      component: COMPONENT_SHAPE,
      python,
    });
  });
});

describe('withShapes', () => {
  const book = shapeBook([{ id: 'b', type: 'component', shape: tall }]);
  const cases: Array<[string, DesignerNode, NodeShape | undefined]> = [
    ['its own recorded shape', node('b'), tall],
    ['a component node not recorded: the CSS box', node('a'), COMPONENT_SHAPE],
    ['a python node with no shape known: left to be measured', node('p', 'python'), undefined],
    [
      'a node already measured: kept',
      node('m', 'component', { measured: { width: 300, height: 70 } }),
      undefined,
    ],
    ['a hidden node: kept', node('h', 'component', { hidden: true }), undefined],
  ];
  it.each(cases)('%s', (_, n, shape) => {
    const [out] = withShapes([n], book);
    if (!shape) expect(out).toBe(n);
    else {
      expect(out!.measured).toEqual({ width: shape.width, height: shape.height });
      expect(out!.handles).toEqual(shape.handles);
      expect(out!.data).toBe(n.data);
    }
  });

  it('takes the common shape of a type before the CSS box', () => {
    const [a, p] = withShapes([node('a'), node('p', 'python')], undefined, { component: tall, python });
    expect(a!.measured).toEqual({ width: 240, height: 90 });
    expect(p!.handles).toEqual(python.handles);
  });
});

describe('withoutEstimates', () => {
  const guessed = withShapes([node('a'), node('b')], undefined);
  it('drops the guessed handles of a node React Flow has measured, keeping its measured size', () => {
    const measured = guessed.map((n) => (n.id === 'a' ? { ...n, measured: { width: 240, height: 80 } } : n));
    const changes: NodeChange[] = [{ type: 'dimensions', id: 'a', dimensions: { width: 240, height: 80 } }];
    const out = withoutEstimates(measured, changes);
    expect(out[0]!.handles).toBeUndefined();
    expect(out[0]!.measured).toEqual({ width: 240, height: 80 });
    expect(out[1]).toBe(measured[1]);
  });

  it('returns the same array when no node lost anything (a drag step)', () => {
    const changes: NodeChange[] = [{ type: 'position', id: 'a', position: { x: 5, y: 5 } }];
    expect(withoutEstimates(guessed, changes)).toBe(guessed);
  });
});

describe('measuredShapes', () => {
  it("reads React Flow's size and handle bounds of measured, shown nodes only", () => {
    const internals: Record<string, MeasuredNode> = {
      a: {
        measured: { width: 240, height: 64 },
        internals: {
          handleBounds: {
            source: [
              { id: null, type: 'source', position: Position.Right, x: 235.04, y: 27, width: 10, height: 10 },
            ],
            target: [
              { id: null, type: 'target', position: Position.Left, x: -5, y: 26.96, width: 10, height: 10 },
            ],
          },
        },
      },
      b: { measured: {}, internals: {} },
      h: { measured: { width: 240, height: 64 }, internals: { handleBounds: { source: [], target: [] } } },
    };
    const out = measuredShapes(
      [node('a'), node('b'), node('h', 'component', { hidden: true }), node('x')],
      (id) => internals[id],
    );
    expect(out).toEqual([{ id: 'a', type: 'component', shape: COMPONENT_SHAPE }]);
  });
});

describe('withCurrentSizes', () => {
  it('gives a node undo brings back with a guessed shape the size measured since, without the guess', () => {
    const [guessedA, guessedB] = withShapes([node('a'), node('b')], undefined);
    const now = [{ ...node('a'), measured: { width: 240, height: 80 } }, guessedB!];
    const out = withCurrentSizes([guessedA!, guessedB!], now);
    expect(out[0]!.handles).toBeUndefined();
    expect(out[0]!.measured).toEqual({ width: 240, height: 80 });
    expect(out[1]).toBe(guessedB);
  });

  it('leaves a history without guesses as it is', () => {
    const restored = [node('a')];
    expect(withCurrentSizes(restored, [])).toBe(restored);
  });
});

describe('recordShapes and withRecordedShapes', () => {
  afterEach(() => vi.unstubAllGlobals());
  const storage = () => {
    const items = new Map<string, string>();
    vi.stubGlobal('window', {
      localStorage: {
        getItem: (k: string) => items.get(k) ?? null,
        setItem: (k: string, v: string) => void items.set(k, v),
        removeItem: (k: string) => void items.delete(k),
      },
    });
  };
  const measured: MeasuredNode = {
    measured: { width: 240, height: 90 },
    internals: { handleBounds: { target: [tall.handles[0]!], source: [tall.handles[1]!] } },
  };

  it('gives a project opened again the shapes recorded for it', () => {
    storage();
    recordShapes('p1', [node('a')], () => measured);
    expect(withRecordedShapes('p1', [node('a')])[0]!.measured).toEqual({ width: 240, height: 90 });
  });

  it('records a second project whose nodes have the same ids and shapes as the one recorded before', () => {
    storage();
    recordShapes('p2', [node('a')], () => measured);
    recordShapes('p3', [node('a')], () => measured);
    // Its own book, not only the common shape of its type: a node of another type keeps its own too.
    expect(withRecordedShapes('p3', [node('a', 'python')])[0]!.measured).toEqual({ width: 240, height: 90 });
  });
});
