// JSON.stringify of a project, byte for byte (as UTF-8), with the bytes of each element of its arrays two
// objects deep (`graph.nodes[i]`, `graph.edges[i]`) kept per object: a save reuses the previous save's unchanged
// nodes and edges (lib/json-reuse.ts), so writing its file serialises only the changed ones (1.4 of a 1,000-node
// save's 6 ms of CPU went to JSON.stringify of the whole project).
//
// The bytes are kept for as long as their object lives, so an object must not change once written: the project
// store already treats a saved project so (its cache is what GET answers). Ajv's coercion and defaults, which change
// a body in place, do so before it is written, and give a reused value nothing more to change.

const texts = new WeakMap<object, Buffer>();

const hasToJson = (value: object) => typeof (value as { toJSON?: unknown }).toJSON === 'function';

/**
 * The pieces of a text: runs of characters, and the kept bytes of element objects. Written into one Buffer, so the
 * file's 370 KiB never become a string in V8's heap (as a string they were a large object, collected only by a
 * full garbage collection, one per save).
 */
class Pieces {
  private readonly parts: (string | Buffer)[] = [];
  private run = '';

  add(text: string): void {
    this.run += text;
  }

  addBytes(bytes: Buffer): void {
    if (this.run !== '') this.parts.push(this.run);
    this.run = '';
    this.parts.push(bytes);
  }

  bytes(suffix: string): Buffer {
    this.add(suffix);
    if (this.run !== '') this.parts.push(this.run);
    let length = 0;
    for (const part of this.parts) length += typeof part === 'string' ? Buffer.byteLength(part) : part.length;
    const out = Buffer.allocUnsafe(length);
    let at = 0;
    for (const part of this.parts) {
      if (typeof part === 'string') at += out.write(part, at);
      else at += part.copy(out, at);
    }
    return out;
  }
}

/** One array element, as JSON.stringify writes it inside an array. */
function addElement(value: unknown, out: Pieces): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || hasToJson(value)) {
    out.add(JSON.stringify(value) ?? 'null');
    return;
  }
  let bytes = texts.get(value);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(value));
    texts.set(value, bytes);
  }
  out.addBytes(bytes);
}

/** An array's elements as JSON.stringify writes them, each object's bytes kept. */
function addArray(array: unknown[], out: Pieces): void {
  out.add('[');
  for (let i = 0; i < array.length; i += 1) {
    if (i > 0) out.add(',');
    addElement(array[i], out);
  }
  out.add(']');
}

/**
 * An object's members as JSON.stringify writes them (own enumerable keys in their order, members whose value
 * it leaves out left out); at `depth` 1 and 2 an object's members are written by this function again, and an
 * array at depth 2 element by element.
 */
function addObject(value: Record<string, unknown>, depth: number, out: Pieces): void {
  out.add('{');
  let first = true;
  for (const key of Object.keys(value)) {
    const v = value[key];
    const name = `${first ? '' : ','}${JSON.stringify(key)}:`;
    if (v !== null && typeof v === 'object' && !hasToJson(v)) {
      out.add(name);
      if (Array.isArray(v)) {
        if (depth === 2) addArray(v, out);
        else out.add(JSON.stringify(v));
      } else if (depth === 1) addObject(v as Record<string, unknown>, 2, out);
      else out.add(JSON.stringify(v));
      first = false;
      continue;
    }
    const member = JSON.stringify(v);
    if (member === undefined) continue;
    out.add(name + member);
    first = false;
  }
  out.add('}');
}

/**
 * The UTF-8 bytes of JSON.stringify(value) + `suffix` for a plain object, reusing the bytes of the element objects
 * it wrote before.
 */
export function stringifyReusingBytes(value: object, suffix = ''): Buffer {
  if (Array.isArray(value) || hasToJson(value)) return Buffer.from(JSON.stringify(value) + suffix);
  const out = new Pieces();
  addObject(value as Record<string, unknown>, 1, out);
  return out.bytes(suffix);
}
