import { describe, expect, it } from 'vitest';
import { loadError, locationPackage, servingLocation } from './connection.js';

const meta = (entries: Record<string, string>) =>
  Object.entries(entries).map(([key, value]) => ({ key, value }));

describe('locationPackage', () => {
  it.each([
    [{ host: '127.0.0.1', port: '4000' }, undefined],
    [{ host: 'h', module_name: 'team_shop.definitions' }, 'team_shop'],
    [{ package_name: 'team_shop' }, 'team_shop'],
    [{ autoload_defs_module_name: 'team_shop.defs', module_name: 'other.definitions' }, 'team_shop'],
    [{ python_file: 'src/team_shop/definitions.py' }, 'team_shop'],
    [{ python_file: 'definitions.py' }, undefined],
  ])('%j → %s', (metadata, expected) => expect(locationPackage(meta(metadata))).toBe(expected));
});

describe('servingLocation', () => {
  const loaded = 'loaded' as const;
  it.each([
    ['by the package its metadata names', [{ name: 'a', status: loaded, package: 'shop' }], 'a'],
    ['by name when the metadata names none', [{ name: 'shop', status: loaded }], 'shop'],
    ['by dg’s dashed name', [{ name: 'shop-x', status: loaded }], 'shop-x'],
    [
      'never by name when the metadata names another package',
      [{ name: 'shop', status: loaded, package: 'b' }],
      undefined,
    ],
    ['none', [{ name: 'other', status: loaded }], undefined],
  ])('%s', (_label, locations, expected) =>
    expect(servingLocation(locations, expected === 'shop-x' ? 'shop_x' : 'shop')).toBe(expected),
  );
});

describe('loadError', () => {
  it('puts the causes after the message, where the user’s own exception is', () => {
    expect(
      loadError({
        message: 'DagsterUserCodeLoadError: Error occurred during the loading\n',
        causes: [{ message: 'RuntimeError: broken on purpose\n' }],
      }),
    ).toBe(
      'DagsterUserCodeLoadError: Error occurred during the loading\nCaused by: RuntimeError: broken on purpose',
    );
  });
});
