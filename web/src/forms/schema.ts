// Pydantic's JSON schemas, made friendly for a form: `Optional[X]` (anyOf X | null) becomes X, a field
// whose structured type comes before a template-string alternative shows its structured form, and
// `default: null` is dropped.
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNullSchema = (v: unknown) => isObject(v) && v.type === 'null';

export function prepareFormSchema(schema: Json): Json {
  return simplify(schema) as Json;
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

function simplify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplify);
  if (!isObject(node)) return node;
  let out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = simplify(v);
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
      out[key] = titleOptions(real);
    }
  }
  if (out.default === null) delete out.default;
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
