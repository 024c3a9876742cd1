// Errors of a union (anyOf/oneOf) field for the branch the user chose, not one per branch: ajv reports every
// failed branch ("must be equal to constant", "start_date is required" six times); a person chose one.
import type { RJSFSchema, RJSFValidationError, ValidatorType } from '@rjsf/utils';
import { getClosestMatchingOption, getDiscriminatorFieldFromSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function resolve(schema: unknown, root: Json): Json {
  let current = schema;
  for (let depth = 0; depth < 20 && isObject(current) && typeof current.$ref === 'string'; depth++) {
    const ref = current.$ref;
    if (!ref.startsWith('#/')) break;
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) target = isObject(target) ? target[part] : undefined;
    const { $ref: _ref, ...rest } = current;
    current = isObject(target) ? { ...target, ...rest } : rest;
  }
  return isObject(current) ? current : {};
}

const under = (property: string | undefined, path: string) =>
  property === path ||
  (property ?? '').startsWith(`${path}.`) ||
  (property ?? '').startsWith(`${path}[`) ||
  (path === '' && property !== undefined);

/** The value an option's discriminator property must hold (its `const`). */
export function discriminatorValue(option: unknown, key: string, root: Json): unknown {
  const properties = resolve(option, root).properties;
  if (!isObject(properties)) return undefined;
  const property = resolve(properties[key], root);
  return property.const ?? property.default;
}

/** The option of a union the value belongs to: by its discriminator when it has one, else the closest match. */
export function chosenOption(options: Json[], value: unknown, union: Json, root: Json): number {
  const discriminator = getDiscriminatorFieldFromSchema(union as RJSFSchema);
  if (discriminator && isObject(value) && value[discriminator] !== undefined) {
    const found = options.findIndex(
      (o) => discriminatorValue(o, discriminator, root) === value[discriminator],
    );
    if (found >= 0) return found;
  }
  return getClosestMatchingOption(
    validator,
    root as RJSFSchema,
    value,
    options as RJSFSchema[],
    0,
    discriminator,
  );
}

function validateAt(schema: Json, value: unknown, root: Json, path: string): RJSFValidationError[] {
  const standalone = { ...schema, ...(root.$defs ? { $defs: root.$defs } : {}) } as RJSFSchema;
  const { errors } = validator.validateFormData(value, standalone);
  return focusUnionErrors(errors, standalone, value).map((e) => {
    const own = e.property ?? '';
    const property = own === '' || /^[.[]/.test(own) ? `${path}${own}` : `${path}.${own}`;
    return { ...e, property, stack: `${property} ${e.message ?? ''}`.trim() };
  });
}

/**
 * rjsf's `transformErrors` for unions: the errors inside each anyOf/oneOf value are replaced by the errors of the
 * option the value belongs to (the one the form shows as chosen). An absent optional union reports nothing.
 */
export function focusUnionErrors(
  errors: RJSFValidationError[],
  schema: RJSFSchema,
  formData: unknown,
): RJSFValidationError[] {
  const root = schema as Json;
  let result = errors;
  const walk = (node: unknown, value: unknown, path: string, depth: number) => {
    if (depth > 12 || value === undefined) return;
    const s = resolve(node, root);
    const options = (s.anyOf ?? s.oneOf) as Json[] | undefined;
    if (Array.isArray(options)) {
      const index = chosenOption(options, value, s, root);
      const option = resolve(options[index], root);
      const { anyOf: _a, oneOf: _o, discriminator: _d, ...outer } = s;
      result = [
        ...result.filter((e) => !under(e.property, path)),
        ...validateAt({ ...outer, ...option }, value, root, path),
      ];
      return;
    }
    if (isObject(value) && isObject(s.properties)) {
      for (const [key, child] of Object.entries(s.properties))
        walk(child, value[key], `${path}.${key}`, depth + 1);
    } else if (Array.isArray(value) && isObject(s.items)) {
      value.forEach((item, i) => walk(s.items, item, `${path}.${i}`, depth + 1));
    }
  };
  walk(schema, formData, '', 0);
  return result;
}

/** ajv's "must have required property 'Start Date'" → "Start Date is required". */
export function inUserWords(error: RJSFValidationError): RJSFValidationError {
  const required = /^must have required property '(.+)'$/.exec(error.message ?? '');
  if (!required) return error;
  const message = `${required[1]} is required`;
  return { ...error, message, stack: `${error.property ?? ''} ${message}`.trim() };
}

/** The ajv validator, with every validation's errors focused on the chosen branch of each union. */
export const unionAwareValidator: ValidatorType = Object.assign(Object.create(validator) as ValidatorType, {
  validateFormData(
    formData: unknown,
    schema: RJSFSchema,
    customValidate?: Parameters<ValidatorType['validateFormData']>[2],
    transformErrors?: Parameters<ValidatorType['validateFormData']>[3],
    uiSchema?: Parameters<ValidatorType['validateFormData']>[4],
  ) {
    return validator.validateFormData(
      formData,
      schema,
      customValidate,
      (errors, ui) => {
        const focused = focusUnionErrors(errors, schema, formData).map(inUserWords);
        return transformErrors ? transformErrors(focused, ui) : focused;
      },
      uiSchema,
    );
  },
});
