// The node as YAML (what its defs.yaml will hold): editable in the code editor, applied on blur when it parses.
import { useEffect, useRef, useState } from 'react';
import YAML from 'yaml';
import { CodeEditor } from '../editor/CodeEditor';
import { designerStore } from '../store';
import type { DesignerNode } from '../store/graph-ops';

export function nodeToYaml(node: DesignerNode): string {
  const doc: Record<string, unknown> = { type: node.data.component_type, attributes: node.data.attributes };
  if (node.data.translation && Object.keys(node.data.translation).length)
    doc.translation = node.data.translation;
  if (node.data.post_processing && Object.keys(node.data.post_processing).length)
    doc.post_processing = node.data.post_processing;
  return YAML.stringify(doc);
}

/** Parses edited YAML back into node fields, or says what is wrong with it. */
export function yamlToNodeFields(
  text: string,
  componentType: string,
):
  | { fields: Pick<DesignerNode['data'], 'attributes' | 'translation' | 'post_processing'> }
  | { error: string } {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0]! };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return { error: 'The YAML must be a mapping with type and attributes.' };
  const d = doc as Record<string, unknown>;
  if (d.type !== componentType)
    return { error: `type must stay "${componentType}"; add a new component to use another type.` };
  const isMap = (v: unknown) => v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v));
  for (const key of ['attributes', 'translation', 'post_processing']) {
    if (!isMap(d[key])) return { error: `${key} must be a mapping.` };
  }
  const extra = Object.keys(d).filter(
    (k) => !['type', 'attributes', 'translation', 'post_processing'].includes(k),
  );
  if (extra.length) return { error: `Unknown key${extra.length > 1 ? 's' : ''}: ${extra.join(', ')}.` };
  return {
    fields: {
      attributes: (d.attributes as Record<string, unknown>) ?? {},
      translation: d.translation as Record<string, unknown> | undefined,
      post_processing: d.post_processing as Record<string, unknown> | undefined,
    },
  };
}

export function NodeYamlEditor({ node }: { node: DesignerNode }) {
  const [text, setText] = useState(() => nodeToYaml(node));
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(text);
  latest.current = text;
  // Follows the form while the user is not typing here; an invalid edit stays on screen to be fixed.
  const editing = useRef(false);
  useEffect(() => {
    if (!editing.current) setText(nodeToYaml(node));
  }, [node]);
  const apply = () => {
    editing.current = false;
    const result = yamlToNodeFields(latest.current, node.data.component_type);
    if ('error' in result) {
      setError(result.error);
      return;
    }
    setError(null);
    designerStore.getState().updateNode(node.id, result.fields, `yaml:${node.id}`);
  };
  return (
    <div className="yaml-editor">
      <CodeEditor
        label="Component YAML"
        language="yaml"
        value={text}
        onChange={(value) => {
          editing.current = true;
          setText(value);
        }}
        onBlur={apply}
        onSave={apply}
      />
      {error ? (
        <div className="field-error" role="alert">
          {error}
        </div>
      ) : (
        <div className="muted small">
          Edits apply when you leave the field; the form shows the same values.
        </div>
      )}
    </div>
  );
}
