// Pydantic's JSON schemas, made friendly for a form: `Optional[X]` (anyOf X | null) becomes X, a field
// whose structured type comes before a template-string alternative shows its structured form, an optional
// choice starts at "None" (not at its first branch), a choice whose branches each fix a `type` is discriminated
// by it, and `default: null` is dropped.
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNullSchema = (v: unknown) => isObject(v) && v.type === 'null';

export function prepareFormSchema(schema: Json): Json {
  return simplify(schema, schema) as Json;
}

/** The "nothing chosen" option of an optional choice: the key stays out of the YAML. */
export const NONE_OPTION = { type: 'null', title: 'None' } as const;

/** The property every option fixes with a `const` (Dagster's partitions: `type: daily`…), if there is one. */
function discriminatorOf(options: unknown[], root: Json): string | null {
  const objects = options
    .map((o) => resolveRef(isObject(o) ? o : {}, root))
    .filter((o) => isObject(o.properties));
  if (objects.length < 2) return null;
  const [first, ...rest] = objects;
  for (const [name, prop] of Object.entries(first!.properties as Json)) {
    if (!isObject(prop) || prop.const === undefined) continue;
    if (
      rest.every(
        (o) =>
          isObject((o.properties as Json)[name]) &&
          ((o.properties as Json)[name] as Json).const !== undefined,
      )
    )
      return name;
  }
  return null;
}

/** "#/$defs/DbtProjectArgsModel" → "Dbt Project Args". */
function titleOfRef(ref: string): string {
  const name = ref.slice(ref.lastIndexOf('/') + 1).replace(/Model$/, '');
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
}

/** Names the options of a remaining choice, so the form says "Path" instead of "Option 1". */
function titleOptions(options: unknown[]): unknown[] {
  return options.map((o) => {
    if (!isObject(o) || typeof o.title === 'string') return o;
    if (typeof o.$ref === 'string') return { ...o, title: titleOfRef(o.$ref) };
    if (o.type === 'string') return { ...o, title: 'Text or template' };
    if (typeof o.type === 'string') return { ...o, title: o.type.charAt(0).toUpperCase() + o.type.slice(1) };
    return o;
  });
}

function simplify(node: unknown, root: Json): unknown {
  if (Array.isArray(node)) return node.map((n) => simplify(n, root));
  if (!isObject(node)) return node;
  let out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = simplify(v, root);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = out[key];
    if (!Array.isArray(options)) continue;
    const real = options.filter((o) => !isNullSchema(o));
    // Prefer the structured option over a plain-string alternative (a Jinja template in Dagster).
    const structured = real.filter(
      (o) => !(isObject(o) && o.type === 'string' && Object.keys(o).length <= 2),
    );
    // Only when the structured form comes first: Pydantic keeps the Union's order, and a field whose first
    // type is a string (sql_template: str | SqlFile) is mainly written as text, so it stays a choice.
    const structuredFirst = structured.length === 1 && real[0] === structured[0];
    const chosen = real.length === 1 ? real : structuredFirst ? structured : null;
    if (chosen) {
      const { [key]: _dropped, ...rest } = out;
      out = { ...(chosen[0] as Json), ...rest };
    } else {
      // Optional (`X | Y | None`, or a `None` default): start at "None" rather than at the first branch.
      const optional = real.length < options.length || out.default === null;
      out[key] = [...(optional ? [NONE_OPTION] : []), ...titleOptions(real)];
      const discriminator = discriminatorOf(real, root);
      if (discriminator) out.discriminator = { propertyName: discriminator };
    }
  }
  if (out.default === null) delete out.default;
  // A branch's fixed discriminator (`type: daily`) is shown, not edited.
  if (out.const !== undefined) out.readOnly = true;
  return out;
}

/** Field names whose values are credentials: the form offers an env-var reference instead of a value. */
/**
 * rjsf settings so that only what the user typed ends up in the value (defs.yaml attributes, run config):
 * Dagster applies its own defaults when it loads.
 */
export const NO_INJECTED_DEFAULTS = { emptyObjectFields: 'skipDefaults', constAsDefaults: 'never' } as const;

export const SECRET_NAME = /(pass(word)?|token|secret|api_?key|private_?key|credential|auth)/i;

/** A uiSchema that hides the submit button and marks secret-looking string fields. */
export function uiSchemaFor(schema: Json, root: Json = schema, depth = 0): Json {
  const ui: Json = depth === 0 ? { 'ui:submitButtonOptions': { norender: true } } : {};
  if (depth > 6) return ui;
  const resolved = resolveRef(schema, root);
  const props = resolved.properties;
  if (isObject(props)) {
    for (const [name, child] of Object.entries(props)) {
      const c = resolveRef(child as Json, root);
      if (c.type === 'string' && SECRET_NAME.test(name)) ui[name] = { 'ui:widget': 'secret' };
      else if (c.type === 'object' || c.properties) {
        const nested = uiSchemaFor(c, root, depth + 1);
        if (Object.keys(nested).length > 0) ui[name] = nested;
      } else if (name === 'assets' && c.type === 'array' && isObject(c.items)) {
        // Asset specs: their deps also list the keys the node's incoming edges add (read-only there).
        const item = resolveRef(c.items, root);
        const nested = uiSchemaFor(item, root, depth + 1);
        if (isObject(item.properties) && 'deps' in item.properties) nested.deps = { 'ui:field': 'EdgeDeps' };
        if (Object.keys(nested).length > 0) ui[name] = { items: nested };
      }
    }
  }
  return ui;
}

function resolveRef(schema: Json, root: Json): Json {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  let target: unknown = root;
  for (const part of ref.slice(2).split('/')) target = isObject(target) ? target[part] : undefined;
  return isObject(target) ? target : schema;
}
