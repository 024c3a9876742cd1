import { describe, expect, it } from 'vitest';
import { hasUserConfig, runConfigJsonSchema, type ConfigType, type JsonSchema } from './run-config.js';

/** Walks a schema's `properties` by name. */
const at = (schema: JsonSchema, ...names: string[]): JsonSchema =>
  names.reduce((s, n) => (s.properties as Record<string, JsonSchema>)[n]!, schema);

const t = (type: Partial<ConfigType> & Pick<ConfigType, '__typename' | 'key'>): ConfigType => ({
  description: null,
  isSelector: false,
  typeParamKeys: [],
  ...type,
});
const field = (name: string, configTypeKey: string, extra: object = {}) => ({
  name,
  configTypeKey,
  description: null,
  isRequired: false,
  defaultValueAsJson: null,
  ...extra,
});

// The shapes Dagster 1.13's GraphQL returns for an asset job (recorded, trimmed).
const TYPES: ConfigType[] = [
  t({ __typename: 'RegularConfigType', key: 'Int', givenName: 'Int' }),
  t({ __typename: 'RegularConfigType', key: 'String', givenName: 'String' }),
  t({ __typename: 'RegularConfigType', key: 'Bool', givenName: 'Bool' }),
  t({ __typename: 'ArrayConfigType', key: 'Array.String', typeParamKeys: ['String'] }),
  t({ __typename: 'NullableConfigType', key: 'Noneable.Int', typeParamKeys: ['Int'] }),
  t({
    __typename: 'EnumConfigType',
    key: 'Mode',
    givenName: 'Mode',
    values: [
      { value: 'full', description: null },
      { value: 'delta', description: null },
    ],
  }),
  t({ __typename: 'MapConfigType', key: 'Map.String.Int', typeParamKeys: ['String', 'Int'] }),
  t({
    __typename: 'CompositeConfigType',
    key: 'Shape.cfg',
    fields: [
      field('limit', 'Int', { defaultValueAsJson: '10' }),
      field('tables', 'Array.String', { isRequired: true }),
      field('cap', 'Noneable.Int'),
      field('mode', 'Mode'),
      field('weights', 'Map.String.Int'),
    ],
  }),
  t({
    __typename: 'CompositeConfigType',
    key: 'Shape.op',
    fields: [field('config', 'Shape.cfg', { isRequired: true })],
  }),
  t({ __typename: 'CompositeConfigType', key: 'Shape.empty', fields: [] }),
  t({ __typename: 'CompositeConfigType', key: 'Shape.emptyop', fields: [field('config', 'Shape.empty')] }),
  t({
    __typename: 'CompositeConfigType',
    key: 'Shape.ops',
    fields: [field('orders', 'Shape.op', { isRequired: true }), field('other', 'Shape.emptyop')],
  }),
  t({ __typename: 'CompositeConfigType', key: 'Shape.in_process', fields: [] }),
  t({ __typename: 'CompositeConfigType', key: 'Shape.mp', fields: [field('max_concurrent', 'Int')] }),
  t({
    __typename: 'CompositeConfigType',
    key: 'Selector.exec',
    isSelector: true,
    fields: [field('in_process', 'Shape.in_process'), field('multiprocess', 'Shape.mp')],
  }),
  t({ __typename: 'CompositeConfigType', key: 'Permissive.loggers', fields: [] }),
  t({
    __typename: 'CompositeConfigType',
    key: 'Shape.root',
    fields: [
      field('ops', 'Shape.ops', { isRequired: true }),
      field('execution', 'Selector.exec', { defaultValueAsJson: '{"multiprocess": {}}' }),
      field('loggers', 'Permissive.loggers'),
    ],
  }),
];

describe('runConfigJsonSchema', () => {
  const schema = runConfigJsonSchema('Shape.root', TYPES);
  const cfg = at(schema, 'ops', 'orders', 'config');

  it('turns Dagster config types into JSON Schema: scalars, lists, nullables, enums, maps, defaults, required', () => {
    expect(cfg).toEqual({
      title: 'config',
      type: 'object',
      required: ['tables'],
      additionalProperties: false,
      properties: {
        limit: { title: 'limit', type: 'integer', default: 10 },
        tables: { title: 'tables', type: 'array', items: { type: 'string' } },
        cap: { title: 'cap', type: 'integer' },
        mode: { title: 'mode', type: 'string', enum: ['full', 'delta'] },
        weights: { title: 'weights', type: 'object', additionalProperties: { type: 'integer' } },
      },
    });
  });

  it('makes a selector a oneOf of its fields and leaves loggers out', () => {
    const execution = at(schema, 'execution') as { oneOf: Array<{ title: string; required: string[] }> };
    // Dagster's default choice comes first, so the form opens on it.
    expect(execution.oneOf.map((o) => o.title)).toEqual(['multiprocess', 'in_process']);
    expect(execution.oneOf[0]?.required).toEqual(['multiprocess']);
    expect((schema.properties as Record<string, unknown>).loggers).toBeUndefined();
    expect(schema.required).toEqual(['ops']);
  });

  it('tells a selection with something to configure from one with empty op configs', () => {
    expect(hasUserConfig(schema)).toBe(true);
    const empty = runConfigJsonSchema('Shape.root', [
      ...TYPES.filter((x) => x.key !== 'Shape.ops'),
      t({ __typename: 'CompositeConfigType', key: 'Shape.ops', fields: [field('other', 'Shape.emptyop')] }),
    ]);
    expect(hasUserConfig(empty)).toBe(false);
  });
});
