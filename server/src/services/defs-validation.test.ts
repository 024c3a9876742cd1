import { describe, expect, it } from 'vitest';
import { validateDefsYaml } from './defs-validation.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['execution'],
  properties: {
    assets: {
      anyOf: [
        {
          type: 'array',
          items: {
            type: 'object',
            properties: { key: { type: 'string' }, deps: { type: 'array', items: { type: 'string' } } },
            required: ['key'],
          },
        },
        { type: 'string' },
        { type: 'null' },
      ],
    },
    execution: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
};

describe('validateDefsYaml', () => {
  it('accepts a valid file', () => {
    expect(validateDefsYaml('type: x.Y\nattributes:\n  execution:\n    path: a.py\n', schema)).toEqual([]);
  });

  it.each([
    [
      'unknown field',
      'type: x.Y\nattributes:\n  execution:\n    path: a.py\n  not_a_field: 3\n',
      [
        {
          line: 5,
          path: 'attributes.not_a_field',
          message: "Additional properties are not allowed ('not_a_field' was unexpected)",
        },
      ],
    ],
    [
      'missing required',
      'type: x.Y\n\nattributes:\n  assets: []\n',
      [{ line: 4, path: 'attributes', message: "'execution' is a required property" }],
    ],
    [
      'wrong type inside an anyOf',
      'type: x.Y\nattributes:\n  execution:\n    path: a.py\n  assets:\n    - key: k\n      deps: 7\n',
      [{ line: 6, path: 'attributes.assets', message: 'is not valid under any of the given schemas' }],
    ],
    [
      'wrong scalar type',
      'type: x.Y\nattributes:\n  execution:\n    path: 42\n',
      [{ line: 4, path: 'attributes.execution.path', message: 'must be string' }],
    ],
    [
      'syntax error',
      'type: x.Y\nattributes: [\n',
      [{ line: 3, path: '', message: expect.stringContaining('YAML syntax error') }],
    ],
  ])('%s', (_n, text, expected) => {
    expect(validateDefsYaml(text, schema)).toEqual(expected);
  });
});
