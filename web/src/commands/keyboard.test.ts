import { describe, expect, it } from 'vitest';
import { commandForEvent, matches, type KeyLike } from './keyboard';
import { commands } from './registry';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('matches', () => {
  it.each([
    ['Mod+Z', key('z', { ctrlKey: true }), false, true],
    ['Mod+Z', key('z', { metaKey: true }), true, true],
    ['Mod+Z', key('z', { metaKey: true }), false, false],
    ['Mod+Z', key('Z', { ctrlKey: true, shiftKey: true }), false, false],
    ['Shift+Mod+Z', key('Z', { ctrlKey: true, shiftKey: true }), false, true],
    ['Delete', key('Delete'), false, true],
    ['Delete', key('Delete', { ctrlKey: true }), false, false],
    ['/', key('/'), false, true],
    ['Shift+?', key('?', { shiftKey: true }), false, true],
    ['Shift+L', key('L', { shiftKey: true }), false, true],
    ['Shift+L', key('l'), false, false],
  ])('%s vs %j (mac=%s) → %s', (combo, event, mac, expected) => {
    expect(matches(combo, event, mac)).toBe(expected);
  });
});

describe('command wiring', () => {
  it.each([
    [key('z', { ctrlKey: true }), 'edit.undo'],
    [key('z', { ctrlKey: true, shiftKey: true }), 'edit.redo'],
    [key('y', { ctrlKey: true }), 'edit.redo'],
    [key('c', { ctrlKey: true }), 'edit.copy'],
    [key('v', { ctrlKey: true }), 'edit.paste'],
    [key('d', { ctrlKey: true }), 'edit.duplicate'],
    [key('s', { ctrlKey: true }), 'project.save'],
    [key('Backspace'), 'edit.delete'],
    [key('L', { shiftKey: true }), 'view.tidy'],
  ])('%j runs %s', (event, id) => {
    expect(commandForEvent(event, false, commands, false)?.id).toBe(id);
  });

  it('only global commands fire while typing', () => {
    expect(commandForEvent(key('Backspace'), true, commands, false)).toBeNull();
    expect(commandForEvent(key('z', { ctrlKey: true }), true, commands, false)).toBeNull();
    expect(commandForEvent(key('s', { ctrlKey: true }), true, commands, false)?.id).toBe('project.save');
  });

  it('every shortcut belongs to exactly one command', () => {
    const all = commands.flatMap((c) => c.shortcuts ?? []);
    expect(new Set(all).size).toBe(all.length);
  });
});
