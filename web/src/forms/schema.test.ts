import { describe, expect, it } from 'vitest';
import { prepareFormSchema, uiSchemaFor } from './schema';

describe('prepareFormSchema', () => {
  it.each([
    [
      'Optional[str]',
      { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: 'T' },
      { type: 'string', title: 'T' },
    ],
    [
      'list or template string or null',
      { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'string' }, { type: 'null' }] },
      { type: 'array', items: { type: 'string' } },
    ],
    [
      'two real options stay a choice',
      { anyOf: [{ type: 'integer' }, { type: 'boolean' }, { type: 'null' }] },
      {
        anyOf: [
          { type: 'null', title: 'None' },
          { type: 'integer', title: 'Integer' },
          { type: 'boolean', title: 'Boolean' },
        ],
      },
    ],
    [
      'an optional choice of typed models starts at None and is discriminated by type',
      {
        properties: {
          p: {
            anyOf: [{ $ref: '#/$defs/Hourly' }, { $ref: '#/$defs/Daily' }, { type: 'string' }],
            default: null,
          },
        },
        $defs: {
          Hourly: { type: 'object', properties: { type: { const: 'hourly' } } },
          Daily: { type: 'object', properties: { type: { const: 'daily' } } },
        },
      },
      {
        properties: {
          p: {
            anyOf: [
              { type: 'null', title: 'None' },
              { $ref: '#/$defs/Hourly', title: 'Hourly' },
              { $ref: '#/$defs/Daily', title: 'Daily' },
              { type: 'string', title: 'Text or template' },
            ],
            discriminator: { propertyName: 'type' },
          },
        },
        $defs: {
          Hourly: { type: 'object', properties: { type: { const: 'hourly', readOnly: true } } },
          Daily: { type: 'object', properties: { type: { const: 'daily', readOnly: true } } },
        },
      },
    ],
    [
      'a text-first field stays a choice (sql_template: str | SqlFile)',
      { anyOf: [{ type: 'string' }, { $ref: '#/$defs/SqlFile' }] },
      {
        anyOf: [
          { type: 'string', title: 'Text or template' },
          { $ref: '#/$defs/SqlFile', title: 'Sql File' },
        ],
      },
    ],
    [
      'a real choice gets titled options',
      {
        anyOf: [
          { type: 'string' },
          { $ref: '#/$defs/DbtProjectArgsModel' },
          { $ref: '#/$defs/RemoteGitModel' },
        ],
      },
      {
        anyOf: [
          { type: 'string', title: 'Text or template' },
          { $ref: '#/$defs/DbtProjectArgsModel', title: 'Dbt Project Args' },
          { $ref: '#/$defs/RemoteGitModel', title: 'Remote Git' },
        ],
      },
    ],
    [
      'nested in properties',
      { properties: { a: { anyOf: [{ $ref: '#/$defs/X' }, { type: 'null' }] } } },
      { properties: { a: { $ref: '#/$defs/X' } } },
    ],
    [
      'untouched plain schema',
      { type: 'object', properties: { n: { type: 'integer', default: 3 } } },
      { type: 'object', properties: { n: { type: 'integer', default: 3 } } },
    ],
  ])('%s', (_n, input, expected) => {
    expect(prepareFormSchema(input)).toEqual(expected);
  });
});

describe('uiSchemaFor', () => {
  it('hides submit and marks secret fields, through $ref', () => {
    const schema = {
      type: 'object',
      properties: { password: { type: 'string' }, host: { type: 'string' }, conn: { $ref: '#/$defs/Conn' } },
      $defs: {
        Conn: { type: 'object', properties: { api_key: { type: 'string' }, port: { type: 'integer' } } },
      },
    };
    expect(uiSchemaFor(schema)).toEqual({
      'ui:submitButtonOptions': { norender: true },
      password: { 'ui:widget': 'secret' },
      conn: { api_key: { 'ui:widget': 'secret' } },
    });
  });
});
