import type { DeploymentAssetState } from '@designer/shared';
import { describe, expect, it } from 'vitest';
import { nodeDeploymentState } from './node-state';

const at = Date.UTC(2026, 10, 26, 15, 0);
const asset = (patch: Partial<DeploymentAssetState> = {}): DeploymentAssetState => ({
  key: 'raw/orders',
  defined: true,
  inProgressRunIds: [],
  checks: [],
  staleStatus: 'FRESH',
  lastMaterialization: { timestamp: at, runId: 'a29a3be3-0000', runStatus: 'SUCCESS' },
  ...patch,
});

describe('nodeDeploymentState', () => {
  it.each([
    ['materialized by a run that succeeded', [asset()], 'ok'],
    ['never materialized', [asset({ lastMaterialization: undefined, staleStatus: 'MISSING' })], 'missing'],
    [
      'materialized by a run still going',
      [asset({ lastMaterialization: { timestamp: at, runId: 'r', runStatus: 'STARTED' } })],
      'running',
    ],
    ['a run under way for it', [asset({ inProgressRunIds: ['r2'] })], 'running'],
    [
      'materialized by a run that then failed',
      [asset({ lastMaterialization: { timestamp: at, runId: 'r', runStatus: 'FAILURE' } })],
      'failed',
    ],
    ['a failed check', [asset({ checks: [{ name: 'not_empty', status: 'FAILED' }] })], 'failed'],
    ['stale', [asset({ staleStatus: 'STALE' })], 'stale'],
    ['not in the deployment’s code', [asset({ defined: false, lastMaterialization: undefined })], 'absent'],
  ] as const)('%s', (_, states, tone) => {
    expect(nodeDeploymentState('Team OSS', states, undefined)?.tone).toBe(tone);
  });

  it('puts a load error first, with its words in the title', () => {
    expect(nodeDeploymentState('Team OSS', [asset()], 'extract: KeyError')).toEqual({
      tone: 'failed',
      text: 'load error',
      title: 'Team OSS: extract: KeyError',
    });
  });

  it('shows nothing for a node without assets, and names the run in the title', () => {
    expect(nodeDeploymentState('Team OSS', [], undefined)).toBeNull();
    expect(nodeDeploymentState('Team OSS', [asset()], undefined)?.title).toContain('run a29a3be3');
  });
});
