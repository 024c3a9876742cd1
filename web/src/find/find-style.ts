// The matches of Find as one stylesheet instead of a class on each matching node: typing a query that a thousand
// nodes match then changes one <style> element, and React Flow's nodes not at all (a class meant a new object for
// every node whose marks changed, and React Flow updating up to 1,000 nodes on a keystroke: a missed frame).
// Dimming the rest is the `finding` class on the flow wrapper (styles/marks.css); the current match keeps its
// class (one node, canvas-marks.ts).

/** An id as a CSS string's contents: quotes, backslashes and control characters escaped. */
export function cssStringContents(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(16)} `;
    else out += char;
  }
  return out;
}

/** The rule that lifts the matching nodes out of the dimmed rest and outlines them; '' when there is none. */
export function findMatchCss(ids: readonly string[]): string {
  if (ids.length === 0) return '';
  const list = ids.map((id) => `[data-id="${cssStringContents(id)}"]`).join(',');
  return `.react-flow.finding .react-flow__node:is(${list}){opacity:1;outline:2px solid var(--focus);outline-offset:3px;border-radius:10px}`;
}
