import { describe, expect, it } from 'vitest';
import { suggestedName } from './ImportDialog';

describe('suggestedName', () => {
  it.each([
    ['folder', '/home/me/pipelines/shop_project', null, '', 'shop_project'],
    ['folder', '/home/me/pipelines/shop_project/', null, '', 'shop_project'],
    ['folder', '', null, '', ''],
    ['zip', '', new File([], 'shop.zip'), '', 'shop'],
    ['git', '', null, 'https://example.com/acme/pipelines.git', 'pipelines'],
    ['git', '', null, 'git@example.com:acme/pipelines.git', 'pipelines'],
    ['git', '', null, 'git@example.com:pipelines', 'pipelines'],
  ] as const)('%s %s %s %s → %s', (kind, folder, file, remote, expected) => {
    expect(suggestedName(kind, folder, file, remote)).toBe(expected);
  });
});
