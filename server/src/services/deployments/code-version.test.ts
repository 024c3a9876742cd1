import { describe, expect, it } from 'vitest';
import { compareCode, servedCommit, type PushRecord } from './code-version.js';

const pushed: PushRecord = {
  commit: '3f9c2ab51e0d4c7a9b8e6f1d2c3b4a5968778695',
  branch: 'designer/shop',
  remote: 'https://git.example/shop.git',
  at: '2026-11-26T15:00:00.000Z',
};
const meta = (entries: Record<string, string>) =>
  Object.entries(entries).map(([key, value]) => ({ key, value }));

describe('servedCommit', () => {
  it.each([
    [
      'Dagster+ commit_hash',
      { commit_hash: '3F9C2AB51E0D' },
      { commit: '3f9c2ab51e0d', from: 'commit_hash' },
    ],
    [
      'image tagged with the commit',
      { image: 'registry.example:5000/team/shop:3f9c2ab' },
      { commit: '3f9c2ab', from: 'image' },
    ],
    ['image tagged sha-<commit>', { image: 'shop:sha-3f9c2ab5' }, { commit: '3f9c2ab5', from: 'image' }],
    ['image with a digest', { image: 'shop:3f9c2ab@sha256:aaaa' }, { commit: '3f9c2ab', from: 'image' }],
    ['image tagged with a version', { image: 'shop:1.4.2' }, undefined],
    ['image tagged latest', { image: 'shop:latest' }, undefined],
    ['an all-digit tag is a build number, not a commit', { image: 'shop:20261126' }, undefined],
    ['host and port only (an OSS gRPC server)', { host: 'localhost', port: '4000' }, undefined],
    ['a commit_hash that is not one', { commit_hash: 'main' }, undefined],
  ])('%s', (_, entries, expected) => {
    expect(servedCommit(meta(entries))).toEqual(expected);
  });
});

describe('compareCode', () => {
  it.each([
    ['same commit (full)', pushed, { commit_hash: pushed.commit }, 'current'],
    ['same commit (short on the deployment)', pushed, { image: 'shop:3f9c2ab' }, 'current'],
    ['another commit', pushed, { commit_hash: 'aaaaaaa1111111' }, 'behind'],
    ['the deployment does not tell', pushed, { host: 'localhost' }, 'unknown'],
    ['nothing pushed yet', undefined, { commit_hash: pushed.commit }, 'unknown'],
    ['neither side', undefined, {}, 'unknown'],
  ] as const)('%s', (_, push, entries, status) => {
    const code = compareCode(push, meta(entries));
    expect(code.status).toBe(status);
    expect(code.message.length).toBeGreaterThan(20);
  });

  it('says which commits differ and where the deployment told its own', () => {
    const code = compareCode(pushed, meta({ commit_hash: 'aaaaaaa1111111' }));
    expect(code.message).toBe(
      'The deployment serves commit aaaaaaa11111 (its commit_hash), not 3f9c2ab51e0d that the designer pushed to designer/shop.',
    );
  });

  it('says the deployment does not tell, rather than guess', () => {
    expect(compareCode(pushed, meta({ host: 'code', port: '4000' })).message).toMatch(
      /does not tell which commit its code location serves/,
    );
  });
});
