import { describe, expect, it } from 'vitest';
import { ciProvider } from './plus-ci.js';

describe('ciProvider', () => {
  it.each([
    ['https://github.com/acme/pipelines.git', 'github'],
    ['git@github.com:acme/pipelines.git', 'github'],
    ['https://gitlab.com/acme/pipelines.git', 'gitlab'],
    ['https://x-access@gitlab.example.org/acme/pipelines.git', 'gitlab'],
    ['git@gitlab.com:acme/pipelines.git', 'gitlab'],
    ['ssh://git@gitlab.acme.io:2222/data/pipelines.git', 'gitlab'],
    ['https://git.acme.io/gitlab/pipelines.git', 'github'],
    ['/srv/git/team.git', 'github'],
  ])('%s → %s', (remote, provider) => {
    expect(ciProvider(remote)).toBe(provider);
  });
});
