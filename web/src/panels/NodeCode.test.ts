import { describe, expect, it } from 'vitest';
import { dbtProjectDir } from './NodeCode';

describe('dbtProjectDir', () => {
  it('finds a dbt project folder from the project attribute, and refuses one that climbs out', () => {
    expect(dbtProjectDir('{{ context.project_root }}/dbt_shop', 'shop', 'dbt')).toBe('dbt_shop');
    expect(dbtProjectDir('../../../../dbt_shop', 'shop', 'dbt')).toBe('dbt_shop');
    expect(dbtProjectDir({ project_dir: 'proj' }, 'shop', 'dbt')).toBe('src/shop/defs/dbt/proj');
    expect(dbtProjectDir('../../../../../../etc', 'shop', 'dbt')).toBeNull();
    expect(dbtProjectDir(undefined, 'shop', 'dbt')).toBeNull();
  });
});
