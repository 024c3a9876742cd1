import validator from '@rjsf/validator-ajv8';
import type { RJSFSchema } from '@rjsf/utils';
import { describe, expect, it } from 'vitest';
import { prepareFormSchema } from './schema';
import { valueForChosenOption } from './fields';
import { focusUnionErrors, unionAwareValidator } from './unions';

// The shape of dagster's asset spec partitions (PythonScriptComponent's defs.yaml schema, 1.13.27), trimmed.
const timeWindow = (type: string) => ({
  type: 'object',
  additionalProperties: false,
  required: ['start_date'],
  properties: { type: { const: type, default: type, type: 'string' }, start_date: { type: 'string' } },
});
const raw = {
  type: 'object',
  properties: {
    partitions_def: {
      anyOf: [
        { $ref: '#/$defs/Hourly' },
        { $ref: '#/$defs/Daily' },
        { $ref: '#/$defs/Weekly' },
        { $ref: '#/$defs/Static' },
        { type: 'string' },
      ],
      default: null,
    },
  },
  $defs: {
    Hourly: timeWindow('hourly'),
    Daily: timeWindow('daily'),
    Weekly: timeWindow('weekly'),
    Static: {
      type: 'object',
      additionalProperties: false,
      required: ['partition_keys'],
      properties: {
        type: { const: 'static', default: 'static', type: 'string' },
        partition_keys: { type: 'array', items: { type: 'string' } },
      },
    },
  },
};
const schema = prepareFormSchema(raw) as RJSFSchema;
const errorsOf = (data: unknown) => {
  const { errors } = validator.validateFormData(data, schema);
  return focusUnionErrors(errors, schema, data).map((e) => `${e.property} ${e.message}`);
};

describe('focusUnionErrors', () => {
  it.each([
    ['nothing chosen', {}, []],
    [
      'daily without a start date: one error, of the daily branch',
      { partitions_def: { type: 'daily' } },
      [".partitions_def.start_date must have required property 'start_date'"],
    ],
    ['daily with a start date: valid', { partitions_def: { type: 'daily', start_date: '2024-01-01' } }, []],
    [
      'static without keys',
      { partitions_def: { type: 'static' } },
      [".partitions_def.partition_keys must have required property 'partition_keys'"],
    ],
    ['a template string', { partitions_def: '{{ partitions }}' }, []],
  ])('%s', (_name, data, expected) => {
    expect(errorsOf(data)).toEqual(expected);
  });

  it('without focusing, ajv reports every branch', () => {
    const { errors } = validator.validateFormData({ partitions_def: { type: 'daily' } }, schema);
    expect(errors.length).toBeGreaterThan(3);
  });
});

describe('the form errors a person reads', () => {
  it('one error for Daily without a start date, in plain words', () => {
    const { errors } = unionAwareValidator.validateFormData({ partitions_def: { type: 'daily' } }, schema);
    expect(errors.map((e) => e.message)).toEqual(['start_date is required']);
  });
});

describe('valueForChosenOption', () => {
  const daily = {
    type: 'object',
    properties: {
      type: { const: 'daily', default: 'daily' },
      start_date: { type: 'string' },
      minute_offset: { type: 'integer', default: 0 },
    },
  };
  it.each([
    ['writes the discriminator, drops injected defaults', { minute_offset: 0 }, daily, { type: 'daily' }],
    [
      'keeps what the user typed',
      { start_date: '2024-01-01', type: 'hourly' },
      daily,
      { start_date: '2024-01-01', type: 'daily' },
    ],
    ['None leaves the key out', { type: 'daily' }, { type: 'null' }, undefined],
    ['a string stays a string', '{{ x }}', { type: 'string' }, '{{ x }}'],
  ])('%s', (_n, value, option, expected) => {
    expect(valueForChosenOption(value, option, 'type')).toEqual(expected);
  });
});
