// Maps key events to commands. Pure matching (tested) plus one window listener.
import { commands, type Command } from './registry';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** "Shift+Mod+Z" matches Ctrl+Shift+Z (or Cmd+Shift+Z on macOS). */
export function matches(combo: string, event: KeyLike, mac = isMac): boolean {
  const parts = combo.split('+');
  const key = parts[parts.length - 1]!;
  const mods = new Set(parts.slice(0, -1));
  const mod = mac ? event.metaKey : event.ctrlKey;
  if (mods.has('Mod') !== mod) return false;
  if (!mac && !mods.has('Mod') && event.ctrlKey) return false;
  if (mods.has('Alt') !== event.altKey) return false;
  // Shift is implied by characters such as "?" on most layouts; only check it for letters and named keys.
  if (mods.has('Shift') !== event.shiftKey && !(key.length === 1 && !/[a-z0-9]/i.test(key))) return false;
  const pressed = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (key === '1' && event.shiftKey) return pressed === '1' || pressed === '!';
  return pressed === key.toLowerCase() || (key.length > 1 && pressed === key);
}

export function commandForEvent(
  event: KeyLike,
  typing: boolean,
  list: readonly Command[] = commands,
  mac = isMac,
): Command | null {
  for (const command of list) {
    if (typing && !command.global) continue;
    if (command.shortcuts?.some((combo) => matches(combo, event, mac))) return command;
  }
  return null;
}

export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    target.closest('.cm-editor') !== null
  );
}

export { shortcutLabel } from '../ui/shortcut-label';
