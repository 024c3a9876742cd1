import { describe, expect, it } from 'vitest';
import { explained } from './run-logs.js';
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

describe('explained', () => {
  it('says what to do when a script did not report a declared check, and leaves other errors as they are', () => {
    const dagster =
      "dagster._core.errors.DagsterInvariantViolationError: op 'orders' did not yield or return expected outputs {'orders_not_empty'}. Did you forget to `yield from pipes_session.get_results()`?";
    expect(explained(dagster)).toContain(
      "The script did not report every asset and check its node declares ('orders_not_empty')",
    );
    expect(explained(dagster)).toContain('context.report_asset_check(check_name=');
    expect(explained('ValueError: boom')).toBe('ValueError: boom');
  });
});
