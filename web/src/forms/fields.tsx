// Custom rjsf fields of the property panel: an asset's deps together with the ones its edges add, and a "None"
// choice that leaves its key out of the YAML instead of writing `null`.
import { declaredAssetKeys } from '@designer/shared';
import type { FieldProps } from '@rjsf/utils';
import { useDesignerShallow, type DesignerState } from '../store';

/** The asset keys a node's incoming edges make it depend on (from the last preview, else what upstream declares). */
export function edgeDepsOf(s: Pick<DesignerState, 'nodes' | 'edges' | 'preview'>, nodeId: string): string[] {
  const keys: string[] = [];
  for (const edge of s.edges) {
    if (edge.target !== nodeId) continue;
    const source = s.nodes.find((n) => n.id === edge.source);
    if (!source) continue;
    const previewed = s.preview.assets.filter((a) => a.nodeId === source.id).map((a) => a.key);
    const declared = declaredAssetKeys(source) ?? [];
    const prefix = (source.data.translation as { key_prefix?: string } | undefined)?.key_prefix;
    const own = previewed.length > 0 ? previewed : declared.map((k) => (prefix ? `${prefix}/${k}` : k));
    for (const k of own) if (!keys.includes(k)) keys.push(k);
  }
  return keys;
}

/** An asset's `deps`: the user's own list, then the keys the node's edges add (written by the designer on sync). */
export function EdgeDepsField(props: FieldProps) {
  const { ArrayField } = props.registry.fields;
  const nodeId = (props.registry.formContext as { nodeId?: string } | undefined)?.nodeId ?? '';
  const fromEdges = useDesignerShallow((s) => edgeDepsOf(s, nodeId));
  return (
    <div className="edge-deps">
      {ArrayField && <ArrayField {...props} />}
      {fromEdges.length > 0 && (
        <div className="from-edges" aria-label="Deps from edges">
          <span className="muted small">From edges (added to defs.yaml by the designer):</span>
          {fromEdges.map((k) => (
            <span key={k} className="pill mono" title="Remove the edge on the canvas to drop it">
              {k}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

/** "None" chosen: nothing to render and nothing to write (rjsf's own NullField writes `null`). */
export function NoneField() {
  return null;
}

export const fields = { EdgeDeps: EdgeDepsField, NullField: NoneField };
