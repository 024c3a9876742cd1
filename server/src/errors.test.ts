import { describe, expect, it } from 'vitest';
import { redact, redactValue } from './errors.js';

describe('redact / redactValue', () => {
  it('replaces every occurrence of a secret of 4 characters or more, in text and inside JSON values', () => {
    expect(redact('token=abcd1234 and abcd1234', ['abcd1234', 'ab', undefined])).toBe('token=*** and ***');
    const value = { events: [{ message: 'saw abcd1234' }], metadata: { t: 'abcd1234', n: 3 } };
    expect(redactValue(value, ['abcd1234'])).toEqual({
      events: [{ message: 'saw ***' }],
      metadata: { t: '***', n: 3 },
    });
  });

  it('leaves a value as it is (the same object) when no secret is long enough', () => {
    const value = { a: 'ab' };
    expect(redactValue(value, ['ab', undefined])).toBe(value);
  });
});
