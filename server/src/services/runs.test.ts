import { describe, expect, it } from 'vitest';
import { userErrorOf } from './runs.js';

describe('userErrorOf', () => {
  it('finds the user exception and its frame among Dagster frames', () => {
    const stderr = [
      'Traceback (most recent call last):',
      '  File "/w/p/src/shop/defs/broken/broken.py", line 1, in <module>',
      '    raise ValueError("boom: the input file is missing")',
      'ValueError: boom: the input file is missing',
      'Traceback (most recent call last):',
      '  File "/w/p/.venv/lib/python3.11/site-packages/dagster/_core/pipes/subprocess.py", line 132, in run',
      'dagster._core.errors.DagsterPipesExecutionError: External execution process failed with code 1',
    ].join('\n');
    expect(userErrorOf(stderr)).toBe(
      'File "/w/p/src/shop/defs/broken/broken.py", line 1, in <module>\nValueError: boom: the input file is missing',
    );
  });
  it('says nothing when there is no user exception', () => {
    expect(userErrorOf('all fine\n')).toBe('');
  });
});
