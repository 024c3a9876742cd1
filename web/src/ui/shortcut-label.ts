// How a key combo reads on this platform: "Shift+Mod+Z" as Ctrl/⌘, Shift/⇧, Alt/⌥.
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function shortcutLabel(combo: string): string {
  return combo
    .replace('Mod', isMac ? '⌘' : 'Ctrl')
    .replace('Shift', isMac ? '⇧' : 'Shift')
    .replace('Alt', isMac ? '⌥' : 'Alt');
}
