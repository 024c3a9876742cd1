// Parsing a JSON body that mostly repeats the previous one of the same URL: a canvas save sends 1,000 nodes of
// which one moved, and JSON.parse of the whole 370 KiB was the largest cost of the save (4 of its 10 ms of CPU,
// and most of its garbage). The elements of arrays two objects deep (`graph.nodes[i]`, `graph.edges[i]`) whose
// text equals an element of the previous body are not parsed again: the value parsed then is reused, and only the
// rest of the text (the changed elements and everything else, with `null` in place of each reused element) goes
// through JSON.parse. The answer is the value JSON.parse of the whole text gives, or `undefined` when the text is
// anything but plain (an escaped or repeated key, a byte-order mark, a suspected `__proto__`/`constructor` key,
// invalid JSON): the caller then parses the text as it always did, with its own checks and errors.
//
// Reused values are shared with the previous save (the project store keeps that one, unchanged): like the store's
// cache, a parsed body is never changed in place afterwards. Ajv's coercion and defaults, which do change the body,
// give a reused value what they gave it the first time, so changing it again is a no-op.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

// secure-json-parse's own tests (index.js of v4): a text either matches goes to it (which refuses it or not).
const SUSPECT_PROTO =
  /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;
const SUSPECT_CONSTRUCTOR =
  /"(?:c|\\u0063)(?:o|\\u006[Ff])(?:n|\\u006[Ee])(?:s|\\u0073)(?:t|\\u0074)(?:r|\\u0072)(?:u|\\u0075)(?:c|\\u0063)(?:t|\\u0074)(?:o|\\u006[Ff])(?:r|\\u0072)"\s*:/;

/** One array two objects deep (`{ "k1": { "k2": [ … ] } }`) and the objects directly in it. */
interface ArraySpan {
  k1: string;
  k2: string;
  /** Per object element: its index in the array, and where its text starts and ends. */
  elements: number[];
}

/** What a body left for the next one of its key: its elements' texts, values and depths, in text order. */
interface Remembered {
  texts: string[];
  values: unknown[];
  /** How deep each element nests (an object of scalars: 1). */
  depths: number[];
}

export interface Parsed {
  /** The deepest nesting of objects and arrays of the text (as jsonDepth counts it), stopping past the limit. */
  depth: number;
  /** JSON.parse(text), or `undefined`: the text must go through the usual parser (see the file's comment). */
  value: unknown;
}

/** Whether the character at `at` follows an odd number of backslashes. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  for (let j = at - 1; j >= 0 && text.charCodeAt(j) === BACKSLASH; j -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}

/**
 * Where the string that opens at `open` (a `"`) closes, or -1: a native search for the next quote not escaped (most
 * of a JSON body is string content). Shared with plugins/json-body.ts's depth check.
 */
export function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end !== -1 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
  return end;
}

/** Keeps the last body's elements per key (a URL); see the file's comment. */
export class ReusingParser {
  private last = new Map<string, Remembered>();

  constructor(private readonly keep = 4) {}

  /**
   * One pass over the text finds its depth and the object elements of its arrays two objects deep; an element
   * whose text, from its `{` on, is the previous body's element at the same place, is skipped in one native
   * comparison (the same text from a `{` ends at the same place and nests as deep). When more than
   * a few elements differ (a node inserted or deleted shifts the rest), the others are looked up by text.
   */
  parse(key: string, text: string, limit: number): Parsed {
    const known = this.last.get(key);
    this.last.delete(key); // a failure below forgets it; a success sets it again, last in the order
    const taken = known ? new Uint8Array(known.texts.length) : null;
    let byText: Map<string, number> | null = null;
    let misses = 0;
    const texts: string[] = [];
    const depths: number[] = [];
    const found: number[] = []; // per element: the index of the known one it reuses, or -1
    let depth = 0;
    let deepest = 0;
    let plain = text.charCodeAt(0) !== 0xfeff;
    const isObject = [false, false, false, false]; // the container at depth 1..3
    const expectKey = [false, false, false];
    const keys = ['', '', ''];
    const arrays: ArraySpan[] = [];
    let current: ArraySpan | null = null;
    let index = 0;
    let start = 0;
    let elementDeepest = 0;
    for (let i = 0; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        const end = closingQuote(text, i);
        if (end === -1) return { depth: deepest, value: undefined };
        if (depth <= 2 && depth >= 1 && expectKey[depth]) {
          const name = text.slice(i + 1, end);
          if (name.includes('\\')) plain = false; // an escaped key: JSON.parse's name differs from the text
          keys[depth] = name;
        }
        i = end;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (depth === 3 && current && c === OPEN_OBJECT && known) {
          const k = texts.length;
          const same = known.texts[k];
          // A slice of this text, kept instead of `same`: nothing keeps an earlier body alive (and slice + ===
          // is a native comparison; startsWith compares character by character).
          const slice = same === undefined ? '' : text.slice(i, i + same.length);
          if (same !== undefined && taken![k] === 0 && slice === same) {
            taken![k] = 1;
            texts.push(slice);
            depths.push(known.depths[k]!);
            found.push(k);
            current.elements.push(index, i, i + same.length);
            deepest = Math.max(deepest, 3 + known.depths[k]!);
            if (deepest > limit) return { depth: deepest, value: undefined };
            i += same.length - 1;
            continue;
          }
        }
        depth += 1;
        if (depth > deepest) {
          deepest = depth;
          if (deepest > limit) return { depth: deepest, value: undefined };
        }
        if (depth > elementDeepest) elementDeepest = depth;
        if (depth <= 3) {
          isObject[depth] = c === OPEN_OBJECT;
          if (depth <= 2) expectKey[depth] = c === OPEN_OBJECT;
          else if (c === OPEN_ARRAY && isObject[1] && isObject[2]) {
            current = { k1: keys[1]!, k2: keys[2]!, elements: [] };
            arrays.push(current);
            index = 0;
          }
        } else if (depth === 4 && current && c === OPEN_OBJECT) {
          start = i;
          elementDeepest = 4;
        }
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (depth === 4 && current && c === CLOSE_OBJECT) {
          const elementText = text.slice(start, i + 1);
          let k = -1;
          if (known && ++misses > 8) {
            if (byText === null) {
              byText = new Map();
              for (let j = known.texts.length - 1; j >= 0; j -= 1) byText.set(known.texts[j]!, j);
            }
            const j = byText.get(elementText);
            if (j !== undefined && taken![j] === 0) k = j;
          }
          if (k !== -1) taken![k] = 1; // one place per value: a text twice in a body is parsed the second time
          texts.push(elementText);
          depths.push(elementDeepest - 3);
          found.push(k);
          current.elements.push(index, start, i + 1);
        } else if (depth === 3) current = null;
        depth -= 1;
      } else if (c === COMMA) {
        if (depth === 3 && current) index += 1;
        else if (depth <= 2 && depth >= 1 && isObject[depth]) expectKey[depth] = true;
      } else if (c === COLON && depth <= 2 && depth >= 1) expectKey[depth] = false;
    }
    if (!plain || text.length === 0) return { depth: deepest, value: undefined };
    // A key path seen twice (a repeated key): JSON.parse keeps the last one; not worth following.
    const paths = new Set<string>();
    for (const a of arrays) {
      const path = `${a.k1}\u0000${a.k2}`;
      if (paths.has(path)) return { depth: deepest, value: undefined };
      paths.add(path);
    }
    // The text with `null` for each reused element, parsed; then the reused values put in their places.
    let rest = ''; // concatenated: Array.join copies every character, `+=` links the pieces for JSON.parse
    let reusedAny = false;
    let from = 0;
    let n = 0;
    for (const array of arrays) {
      const e = array.elements;
      for (let j = 0; j < e.length; j += 3, n += 1) {
        if (found[n] === -1) continue;
        rest += `${text.slice(from, e[j + 1])}null`;
        reusedAny = true;
        from = e[j + 2]!;
      }
    }
    rest = reusedAny ? rest + text.slice(from) : text;
    // secure-json-parse's tests, on the text but the reused elements: those passed them in the body they came
    // from (a body that does not is not remembered), and a match cannot reach across an element's braces.
    if (SUSPECT_PROTO.test(rest) || SUSPECT_CONSTRUCTOR.test(rest))
      return { depth: deepest, value: undefined };
    let value: unknown;
    try {
      value = JSON.parse(rest);
    } catch {
      return { depth: deepest, value: undefined };
    }
    if (value === null || typeof value !== 'object') return { depth: deepest, value: undefined };
    const values: unknown[] = [];
    n = 0;
    for (const a of arrays) {
      const inner = (value as Record<string, unknown>)[a.k1];
      const array =
        inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>)[a.k2] : null;
      if (!Array.isArray(array)) return { depth: deepest, value: undefined };
      const e = a.elements;
      for (let j = 0; j < e.length; j += 3, n += 1) {
        const at = e[j]!;
        if (found[n] !== -1) {
          if (at >= array.length || array[at] !== null) return { depth: deepest, value: undefined };
          array[at] = known!.values[found[n]!];
        }
        values.push(array[at]);
      }
    }
    this.last.set(key, { texts, values, depths });
    while (this.last.size > this.keep) this.last.delete(this.last.keys().next().value!);
    return { depth: deepest, value };
  }
}
