import type { Run } from '@designer/shared';
import { describe, expect, it } from 'vitest';
import { runToCancel } from './run-actions';

const run = (runId: string, status: string): Run => ({
  runId,
  projectId: 'p',
  status,
  startTime: null,
  endTime: null,
  creationTime: null,
  assets: [],
  steps: [],
  materializations: [],
});

describe('runToCancel (the Cancel run command)', () => {
  const history = [run('new', 'STARTED'), run('done', 'SUCCESS'), run('old', 'QUEUED')];
  it.each([
    ['the run the Runs tab shows, while it is going', 'old', 'old'],
    ['nothing when the shown run has finished', 'done', null],
    ['the newest run in progress when none is shown', null, 'new'],
    ['the newest run in progress when the shown one is no longer listed', 'gone', 'new'],
  ])('%s', (_, selected, expected) => {
    expect(runToCancel({ history, selected })?.runId ?? null).toBe(expected);
  });
  it('nothing when every run has finished', () => {
    expect(runToCancel({ history: [run('a', 'FAILURE'), run('b', 'CANCELED')], selected: null })).toBeNull();
  });
});
