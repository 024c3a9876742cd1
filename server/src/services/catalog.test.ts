import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { registryFolders } from './catalog.js';

describe('registryFolders', () => {
  const j = (...p: string[]) => path.join(...p);
  it.each([
    [
      'no registry modules: the conventional folder',
      '[tool.dg]\ndirectory_type = "project"\n',
      [j('shop', 'components')],
    ],
    [
      'what dg scaffold component writes',
      '[tool.dg.project]\nroot_module = "shop"\nregistry_modules = [\n    "shop.components.*",\n]\n',
      [j('shop', 'components')],
    ],
    [
      'a module elsewhere, with and without .*',
      '[tool.dg.project]\nregistry_modules = ["shop.lib.*", "shop.extra"]\n',
      [j('shop', 'components'), j('shop', 'extra'), j('shop', 'lib')],
    ],
  ])('%s', (_name, pyproject, expected) => {
    expect(registryFolders(pyproject, ['shop'])).toEqual(expected);
  });
});
