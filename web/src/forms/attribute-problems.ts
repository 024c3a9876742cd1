// A node's attributes checked against its component's schema with the form's own validator (ajv, one line per
// field). Loaded on demand by validation.ts after the canvas is drawn: ajv and @rjsf/utils are not needed to open.
import type { Problem } from '@designer/shared';
import type { RJSFSchema } from '@rjsf/utils';
import type { DesignerNode } from '../store/graph-ops';
import { unionAwareValidator } from './unions';

export function attributeProblems(node: DesignerNode, schema: RJSFSchema): Problem[] {
  // ajv reports every failed branch of an anyOf; a person chose one branch and needs one line per field.
  const { errors } = unionAwareValidator.validateFormData(node.data.attributes, schema);
  const seen = new Set<string>();
  const relevant = errors.filter((e) => {
    const key = `${e.property}|${e.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return relevant.map((e) => ({
    severity: 'error' as const,
    message:
      `${node.data.label}: ${e.property ? `${e.property.replace(/^\./, '')} ` : ''}${e.name === 'anyOf' || e.name === 'oneOf' ? 'does not match any of its allowed forms' : (e.message ?? 'is invalid')}`.replace(
        /\s+/g,
        ' ',
      ),
    nodeId: node.id,
    hint: e.property ? `Open the component and fix the field "${e.property.replace(/^\./, '')}".` : undefined,
    field: e.property ? e.property.replace(/^\./, '') : undefined,
  }));
}
