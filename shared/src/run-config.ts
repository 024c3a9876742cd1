// Dagster's run config schema (GraphQL `RunConfigSchema.allConfigTypes`) as JSON Schema, so the run form is an
// ordinary rjsf form. Types refer to each other by key; selectors (exactly one of their fields) become oneOf.

export interface ConfigTypeField {
  name: string;
  description: string | null;
  isRequired: boolean;
  configTypeKey: string;
  defaultValueAsJson: string | null;
}

export interface ConfigType {
  __typename: string;
  key: string;
  description: string | null;
  isSelector: boolean;
  typeParamKeys: string[];
  givenName?: string;
  values?: Array<{ value: string; description: string | null }>;
  fields?: ConfigTypeField[];
  scalarTypeKey?: string;
  nonScalarTypeKey?: string;
}

export type JsonSchema = Record<string, unknown>;

const SCALARS: Record<string, JsonSchema> = {
  String: { type: 'string' },
  Int: { type: 'integer' },
  Float: { type: 'number' },
  Bool: { type: 'boolean' },
};

/** Root fields left out of the form: loggers are Dagster's own plumbing, not pipeline settings. */
const HIDDEN_ROOT_FIELDS = new Set(['loggers']);

export function runConfigJsonSchema(rootKey: string, types: ConfigType[]): JsonSchema {
  const byKey = new Map(types.map((t) => [t.key, t]));
  const convert = (key: string, depth: number): JsonSchema => {
    const type = byKey.get(key);
    if (!type || depth > 12) return {};
    const described = (schema: JsonSchema): JsonSchema =>
      type.description ? { description: type.description, ...schema } : schema;
    switch (type.__typename) {
      case 'RegularConfigType':
        return described(SCALARS[type.givenName ?? ''] ?? {});
      case 'EnumConfigType':
        return described({ type: 'string', enum: (type.values ?? []).map((v) => v.value) });
      case 'ArrayConfigType':
        return described({ type: 'array', items: convert(type.typeParamKeys[0] ?? '', depth + 1) });
      case 'NullableConfigType':
        return convert(type.typeParamKeys[0] ?? '', depth + 1);
      case 'ScalarUnionConfigType':
        // The scalar form is how values are usually written ("in_process" rather than {in_process: {}}).
        return convert(type.scalarTypeKey ?? '', depth + 1);
      case 'MapConfigType':
        return described({
          type: 'object',
          additionalProperties: convert(type.typeParamKeys[1] ?? '', depth + 1),
        });
      case 'CompositeConfigType': {
        const fields = (type.fields ?? []).filter((f) => depth > 0 || !HIDDEN_ROOT_FIELDS.has(f.name));
        const property = (f: ConfigTypeField): JsonSchema => {
          const schema: JsonSchema = { title: f.name, ...convert(f.configTypeKey, depth + 1) };
          if (f.description) schema.description = f.description;
          if (f.defaultValueAsJson !== null) {
            try {
              schema.default = JSON.parse(f.defaultValueAsJson) as unknown;
            } catch {
              // A default that is not JSON is only shown by Dagster's own UI.
            }
          }
          // A selector with a default choice ({"multiprocess": {}}) offers that choice first: the form opens on it.
          const chosen = schema.default;
          if (Array.isArray(schema.oneOf) && chosen && typeof chosen === 'object' && !Array.isArray(chosen)) {
            const key = Object.keys(chosen)[0];
            schema.oneOf = [...(schema.oneOf as JsonSchema[])].sort(
              (a, b) => Number(b.title === key) - Number(a.title === key),
            );
          }
          return schema;
        };
        if (type.isSelector)
          return described({
            oneOf: fields.map((f) => ({
              title: f.name,
              type: 'object',
              properties: { [f.name]: property(f) },
              required: [f.name],
              additionalProperties: false,
            })),
          });
        const required = fields.filter((f) => f.isRequired).map((f) => f.name);
        return described({
          type: 'object',
          properties: Object.fromEntries(fields.map((f) => [f.name, property(f)])),
          ...(required.length ? { required } : {}),
          additionalProperties: key.startsWith('Permissive.'),
        });
      }
      default:
        return {};
    }
  };
  return convert(rootKey, 0);
}

/** Whether a schema leaves anything to fill: a value, a list, a map, or an object with such a field. */
function takesInput(schema: JsonSchema): boolean {
  if (Array.isArray(schema.oneOf)) return true;
  if (schema.type !== 'object') return Object.keys(schema).some((k) => k === 'type' || k === 'enum');
  if (typeof schema.additionalProperties === 'object') return true;
  return Object.values((schema.properties ?? {}) as Record<string, JsonSchema>).some(takesInput);
}

/**
 * Whether a run of this selection takes configuration of its own (ops, or resources other than Dagster's default
 * io_manager that every job has), beyond execution settings.
 */
export function hasUserConfig(schema: JsonSchema): boolean {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const resources = Object.entries((properties.resources?.properties ?? {}) as Record<string, JsonSchema>);
  return (
    (properties.ops !== undefined && takesInput(properties.ops)) ||
    resources.some(([name, resource]) => name !== 'io_manager' && takesInput(resource))
  );
}
