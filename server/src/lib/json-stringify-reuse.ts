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

/**
 * An object's members as JSON.stringify writes them (own enumerable keys in their order, members whose value
 * it leaves out left out); at `depth` 1 and 2 an object's members are written by this function again, and an
 * array at depth 2 element by element.
 */
function objectText(value: Record<string, unknown>, depth: number): string {
  const members: string[] = [];
  for (const key of Object.keys(value)) {
    const v = value[key];
    let text: string | undefined;
    if (v !== null && typeof v === 'object' && !hasToJson(v)) {
      if (Array.isArray(v)) text = depth === 2 ? `[${v.map(elementText).join(',')}]` : JSON.stringify(v);
      else text = depth === 1 ? objectText(v as Record<string, unknown>, 2) : JSON.stringify(v);
    } else text = JSON.stringify(v);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
}

/** JSON.stringify(value) for a plain object, reusing the text of the elements it wrote before. */
export function stringifyReusing(value: object): string {
  if (Array.isArray(value) || hasToJson(value)) return JSON.stringify(value);
  return objectText(value as Record<string, unknown>, 1);
}
