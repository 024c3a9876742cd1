// JSON.stringify of a project, byte for byte, with the text of each element of its arrays two objects deep
// (`graph.nodes[i]`, `graph.edges[i]`) kept per object: a save reuses the previous save's unchanged nodes and
// edges (lib/json-reuse.ts), so writing its file serialises only the changed ones (1.4 of a 1,000-node save's
// 6 ms of CPU went to JSON.stringify of the whole project).
//
// A text is kept for as long as its object lives, so an object must not change once written: the project store
// already treats a saved project so (its cache is what GET answers). Ajv's coercion and defaults, which change
// a body in place, do so before it is written, and give a reused value nothing more to change.

const texts = new WeakMap<object, string>();

const hasToJson = (value: object) => typeof (value as { toJSON?: unknown }).toJSON === 'function';

/** The text of one array element, as JSON.stringify writes it inside an array. */
function elementText(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || hasToJson(value))
    return JSON.stringify(value) ?? 'null';
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    texts.set(value, text);
  }
  return text;
}

/** An array's elements as JSON.stringify writes them, each object's text kept. */
function arrayText(array: unknown[]): string {
  // Concatenated, not joined: `+=` links the pieces (the file write copies them once), while Array.join copies
  // every character (0.6 of 0.9 ms for a 1,000-node project).
  let text = '[';
  for (let i = 0; i < array.length; i += 1)
    text += i === 0 ? elementText(array[i]) : `,${elementText(array[i])}`;
  return `${text}]`;
}

/**
 * An object's members as JSON.stringify writes them (own enumerable keys in their order, members whose value
 * it leaves out left out); at `depth` 1 and 2 an object's members are written by this function again, and an
 * array at depth 2 element by element.
 */
function objectText(value: Record<string, unknown>, depth: number): string {
  let text = '';
  for (const key of Object.keys(value)) {
    const v = value[key];
    let member: string | undefined;
    if (v !== null && typeof v === 'object' && !hasToJson(v)) {
      if (Array.isArray(v)) member = depth === 2 ? arrayText(v) : JSON.stringify(v);
      else member = depth === 1 ? objectText(v as Record<string, unknown>, 2) : JSON.stringify(v);
    } else member = JSON.stringify(v);
    if (member !== undefined) text += `${text === '' ? '' : ','}${JSON.stringify(key)}:${member}`;
  }
  return `{${text}}`;
}

/** JSON.stringify(value) for a plain object, reusing the text of the elements it wrote before. */
export function stringifyReusing(value: object): string {
  if (Array.isArray(value) || hasToJson(value)) return JSON.stringify(value);
  return objectText(value as Record<string, unknown>, 1);
}
