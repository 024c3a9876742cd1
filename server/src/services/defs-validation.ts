// Validates every defs.yaml's attributes against its component's JSON schema (the schema dg's own
// registry reports), with the line of each error. `dg check yaml` in dagster-dg-cli 1.13.27 keys the files
// it validates by component type, so with two components of one type only the last is checked; this
// checks all of them, in milliseconds.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { isNode } from 'yaml';
import { loadYaml } from './defs-yaml.js';

export interface YamlIssue {
  line: number;
  path: string;
  message: string;
}

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** One issue per failing field: errors from inside the branches of an anyOf/oneOf are folded into it. */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (/\/(anyOf|oneOf)\/\d+\//.test(e.schemaPath)) return false;
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describe(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties')
    return `Additional properties are not allowed ('${String((e.params as { additionalProperty: string }).additionalProperty)}' was unexpected)`;
  if (e.keyword === 'required')
    return `'${String((e.params as { missingProperty: string }).missingProperty)}' is a required property`;
  if (e.keyword === 'anyOf' || e.keyword === 'oneOf') return 'is not valid under any of the given schemas';
  return e.message ?? 'is not valid';
}

export function validateDefsYaml(text: string, schema: Record<string, unknown>): YamlIssue[] {
  // Within the limits every server-side YAML read has (alias bombs, size, depth); a failure is located.
  const loaded = loadYaml(text);
  if (!loaded.ok) return [{ line: loaded.error.line, path: '', message: loaded.error.message }];
  const { doc, lines } = loaded;
  const attributes = (loaded.value as { attributes?: unknown } | null)?.attributes ?? {};
  const validate = validatorFor(schema);
  if (validate(attributes)) return [];
  return relevant(validate.errors ?? []).map((e) => {
    const segments = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
    // An unknown key is reported at the key itself, as dg does ("attributes.not_a_field").
    if (e.keyword === 'additionalProperties')
      segments.push((e.params as { additionalProperty: string }).additionalProperty);
    let path: Array<string | number> = ['attributes', ...segments];
    let node = doc.getIn(path, true);
    if (e.keyword === 'additionalProperties' && !isNode(node)) {
      const pair = doc.getIn(path.slice(0, -1), true);
      if (isNode(pair)) node = pair;
    }
    while (!isNode(node) && path.length > 1) {
      path = path.slice(0, -1);
      node = doc.getIn(path, true);
    }
    const offset = isNode(node) && node.range ? node.range[0] : 0;
    const { line } = lines.linePos(offset);
    return { line, path: ['attributes', ...segments].join('.'), message: describe(e) };
  });
}
