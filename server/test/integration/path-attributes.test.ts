// The path attributes the designer offers choices for (shared/src/project-path-attributes.ts) are real: each one's
// field is in the component's own JSON schema from dg (dagster 1.13.27), takes a string, and every component
// type the table names is installed. A Dagster upgrade that renames one fails here, not in a user's form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATH_ATTRIBUTES } from '@designer/shared';
import { makeTestApp, type TestApp } from '../helpers.js';

type Schema = Record<string, unknown> & { $defs?: Record<string, Schema> };
let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ createWorkspaces: true });
  await t.app.services.catalogEnv.prepare();
});
afterAll(async () => t?.close());

/** The schemas a dotted field (`replications[].path`) can have, following $ref, anyOf/oneOf and list items. */
function schemasAt(schema: Schema, field: string, defs: Record<string, Schema>): Schema[] {
  const expand = (s: Schema): Schema[] => {
    if (typeof s.$ref === 'string') return expand(defs[s.$ref.split('/').pop()!] ?? {});
    const branches = [...((s.anyOf as Schema[]) ?? []), ...((s.oneOf as Schema[]) ?? [])];
    return branches.length ? [s, ...branches.flatMap(expand)] : [s];
  };
  let current = expand(schema);
  for (const part of field.split('.')) {
    const name = part.replace(/\[\]$/, '');
    current = current.flatMap((s) => {
      const next = (s.properties as Record<string, Schema> | undefined)?.[name];
      return next ? expand(next) : [];
    });
    if (part.endsWith('[]'))
      current = current.flatMap((s) => (s.type === 'array' && s.items ? expand(s.items as Schema) : []));
  }
  return current;
}

describe('path attributes against the real component schemas', () => {
  it.each(Object.entries(PATH_ATTRIBUTES))(
    '%s',
    async (type, attributes) => {
      const res = await t.app.inject({ url: `/api/components/${type}/schema` });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      const schema = res.json().schema as Schema;
      for (const attribute of attributes) {
        const found = schemasAt(schema, attribute.field, schema.$defs ?? {});
        expect(
          found.some((s) => s.type === 'string'),
          `${type} ${attribute.field}`,
        ).toBe(true);
      }
    },
    120_000,
  );
});
