import { describe, expect, it } from 'vitest';
import { contentMemo, sameContent, selectedNodeMemo } from './node-content';

const data = { a: { label: 'a' }, b: { label: 'b' } };
const node = (id: 'a' | 'b', x = 0, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'component',
  position: { x, y: 0 },
  data: data[id],
  ...extra,
});

describe('sameContent', () => {
  it.each([
    ['a move', [node('a'), node('b')], [node('a', 50), node('b')], true],
    [
      'a selection and a measured size',
      [node('a')],
      [node('a', 0, { selected: true, measured: { width: 9 } })],
      true,
    ],
    ['an edited node (new data object)', [node('a')], [{ ...node('a'), data: { label: 'a' } }], false],
    ['another kind', [node('a')], [{ ...node('a'), type: 'python' }], false],
    ['an added node', [node('a')], [node('a'), node('b')], false],
    ['a removed node', [node('a'), node('b')], [node('a')], false],
    ['the same nodes in another order', [node('a'), node('b')], [node('b'), node('a')], false],
  ])('%s → %s', (_, before, after, same) => {
    expect(sameContent(before, after)).toBe(same);
  });
});

describe('contentMemo', () => {
  it('gives the first array back while only positions change, a new one once data changes', () => {
    const memo = contentMemo<ReturnType<typeof node>>();
    const first = [node('a'), node('b')];
    expect(memo(first)).toBe(first);
    expect(memo([node('a', 10), node('b', 20)])).toBe(first);
    const edited = [node('a', 10), { ...node('b'), data: { label: 'c' } }];
    expect(memo(edited)).toBe(edited);
    expect(memo([...edited])).toBe(edited);
  });
});

describe('selectedNodeMemo', () => {
  const n = (id: 'a' | 'b', extra: Record<string, unknown> = {}) => ({ ...node(id), ...extra });
  it('gives back the node it gave while only its place, size or drag state change', () => {
    const pick = selectedNodeMemo<ReturnType<typeof n>>();
    const first = pick([n('a', { selected: true }), n('b')]);
    expect(first).toMatchObject({ id: 'a' });
    const moved = n('a', {
      selected: true,
      position: { x: 40, y: 8 },
      measured: { width: 9 },
      dragging: true,
    });
    expect(pick([moved, n('b')])).toBe(first);
    expect(pick([n('a', { selected: true, position: { x: 40, y: 8 } }), n('b')])).toBe(first);
  });

  it.each([
    ['nothing selected', [n('a'), n('b')], null],
    ['two selected', [n('a', { selected: true }), n('b', { selected: true })], 'many'],
    ['another node selected', [n('a'), n('b', { selected: true })], 'b'],
    ['the node edited (new data)', [{ ...n('a', { selected: true }), data: { label: 'a2' } }, n('b')], 'a'],
  ])('%s → %s', (_, nodes, expected) => {
    const pick = selectedNodeMemo<ReturnType<typeof n>>();
    const first = pick([n('a', { selected: true }), n('b')]);
    const next = pick(nodes);
    if (expected === null || expected === 'many') expect(next).toBe(expected);
    else {
      expect(next).toMatchObject({ id: expected });
      expect(next).not.toBe(first);
    }
  });

  it('keeps what it gave while a node is dragged, and gives the new selection when the drag ends', () => {
    const pick = selectedNodeMemo<ReturnType<typeof n>>();
    const a = pick([n('a', { selected: true }), n('b')]);
    // A drag that starts on b selects it: the panel keeps a until the drag ends.
    expect(pick([n('a'), n('b', { selected: true, dragging: true })])).toBe(a);
    expect(pick([n('a'), n('b', { selected: true, dragging: true, position: { x: 9, y: 9 } })])).toBe(a);
    expect(pick([n('a'), n('b', { selected: true, position: { x: 9, y: 9 } })])).toMatchObject({ id: 'b' });
    // The same from nothing selected (a pane click before).
    const none = selectedNodeMemo<ReturnType<typeof n>>();
    expect(none([n('a'), n('b')])).toBeNull();
    expect(none([n('a', { selected: true, dragging: true }), n('b')])).toBeNull();
    expect(none([n('a', { selected: true }), n('b')])).toMatchObject({ id: 'a' });
  });
});

describe('selectedNodeMemo while the pointer is held on a node', () => {
  const n = (id: 'a' | 'b', extra: Record<string, unknown> = {}) => ({ ...node(id), ...extra });
  it('holds back the selection a drag start makes (before the node is marked as dragged) until the release', () => {
    let held = false;
    const pick = selectedNodeMemo<ReturnType<typeof n>>(() => held);
    const a = pick([n('a', { selected: true }), n('b')]);
    held = true;
    // React Flow selects b on the drag's first move, then marks it as dragged on the next.
    expect(pick([n('a'), n('b', { selected: true })])).toBe(a);
    expect(pick([n('a'), n('b', { selected: true, dragging: true })])).toBe(a);
    held = false;
    expect(pick([n('a'), n('b', { selected: true, dragging: true })])).toBe(a);
    expect(pick([n('a'), n('b', { selected: true })])).toMatchObject({ id: 'b' });
    // A drag that moved nothing: the release alone shows the selection.
    const none = selectedNodeMemo<ReturnType<typeof n>>(() => held);
    expect(none([n('a'), n('b')])).toBeNull();
    held = true;
    expect(none([n('a', { selected: true }), n('b')])).toBeNull();
    held = false;
    expect(none([n('a', { selected: true }), n('b')])).toMatchObject({ id: 'a' });
  });
});
