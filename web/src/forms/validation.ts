// Client-side validation of every node's attributes against its component's real schema, so the
// canvas badges and the Problems tab are right without opening each node.
import type { Problem } from '@designer/shared';
import type { RJSFSchema } from '@rjsf/utils';
import { useEffect } from 'react';
import { loadSchema } from '../project/project-actions';
import { designerStore } from '../store';
import type { DesignerNode } from '../store/graph-ops';
import { prepareFormSchema } from './schema';
import { unionAwareValidator } from './unions';

const prepared = new WeakMap<object, RJSFSchema>();

export function formSchemaOf(raw: Record<string, unknown>): RJSFSchema {
  let schema = prepared.get(raw);
  if (!schema) {
    schema = prepareFormSchema(raw) as RJSFSchema;
    prepared.set(raw, schema);
  }
  return schema;
}

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

const checked = new WeakMap<object, object>();

function validateAll(): void {
  const { nodes, schemas, setFormProblems } = designerStore.getState();
  for (const node of nodes) {
    // Python definitions have no schema: they are the user's code, checked by loading it.
    if (node.type === 'python') {
      if (designerStore.getState().formProblems[node.id] === undefined) setFormProblems(node.id, []);
      continue;
    }
    const entry = schemas[node.data.component_type];
    if (entry === undefined) {
      void loadSchema(node.data.component_type);
      continue;
    }
    if (entry === 'loading') continue;
    if ('error' in entry) {
      setFormProblems(node.id, [
        {
          severity: 'warning',
          nodeId: node.id,
          message: `${node.data.label}: the schema of ${node.data.component_type} is not available (${entry.error}).`,
        },
      ]);
      continue;
    }
    if (checked.get(node.data.attributes) === entry) continue;
    checked.set(node.data.attributes, entry);
    setFormProblems(node.id, attributeProblems(node, formSchemaOf(entry.schema)));
  }
}

export function useNodeValidation(): void {
  useEffect(() => {
    let scheduled = 0;
    const schedule = () => {
      if (scheduled) return;
      scheduled = window.setTimeout(() => {
        scheduled = 0;
        validateAll();
      }, 150);
    };
    schedule();
    let last = designerStore.getState();
    const unsubscribe = designerStore.subscribe((s) => {
      if (s.nodes !== last.nodes || s.schemas !== last.schemas) schedule();
      last = s;
    });
    return () => {
      unsubscribe();
      clearTimeout(scheduled);
    };
  }, []);
}
