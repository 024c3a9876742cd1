// Custom rjsf fields of the property panel: an asset's deps together with the ones its edges add, a "None"
// choice that leaves its key out of the YAML instead of writing `null`, and union choices that write the branch's
// discriminator (`type: daily`) and nothing the user did not type.
import { declaredAssetKeys } from '@designer/shared';
import { getDefaultRegistry } from '@rjsf/core';
import type { FieldProps, RJSFSchema, WidgetProps } from '@rjsf/utils';
import { deepEquals, getDiscriminatorFieldFromSchema } from '@rjsf/utils';
import { useMemo, useRef } from 'react';
import { useDesignerShallow, type DesignerState } from '../store';

/**
 * The asset keys a node's incoming edges make it depend on, as sync writes them: what upstream declares (its key
 * prefix applied), else what the last preview found. Declared keys come first because they are current: the last
 * preview still has the old key of an upstream node renamed or edited since.
 */
export function edgeDepsOf(s: Pick<DesignerState, 'nodes' | 'edges' | 'preview'>, nodeId: string): string[] {
  const keys: string[] = [];
  for (const edge of s.edges) {
    if (edge.target !== nodeId) continue;
    const source = s.nodes.find((n) => n.id === edge.source);
    if (!source) continue;
    const own =
      declaredAssetKeys(source) ?? s.preview.assets.filter((a) => a.nodeId === source.id).map((a) => a.key);
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

const defaults = getDefaultRegistry();
const MultiSchemaField = defaults.fields.AnyOfField!;
const DefaultSelect = defaults.widgets.SelectWidget!;
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The value a union holds right after the user picks `option`: rjsf fills the branch's defaults (minute_offset: 0)
 * but not its `const` discriminator, so Dagster would read the first branch that fits (hourly for "Daily").
 * Keep what the user typed, drop what only repeats a default, and write the discriminator.
 */
export function valueForChosenOption(
  value: unknown,
  option: Json,
  discriminator: string | undefined,
): unknown {
  if (option.type === 'null') return undefined;
  const properties = isObject(option.properties) ? option.properties : null;
  if (!properties || !isObject(value)) return value;
  const kept: Json = {};
  for (const [key, v] of Object.entries(value)) {
    const property = properties[key];
    if (v === undefined || (isObject(property) && 'default' in property && deepEquals(property.default, v)))
      continue;
    kept[key] = v;
  }
  const fixed =
    discriminator && isObject(properties[discriminator]) ? properties[discriminator].const : undefined;
  if (discriminator && fixed !== undefined) kept[discriminator] = fixed;
  return kept;
}

/** rjsf's anyOf/oneOf field, told which option the user picked so its value gets that option's discriminator. */
export function ChoiceField(props: FieldProps) {
  const picked = useRef<number | null>(null);
  const selectId = `${props.fieldPathId.$id}${props.schema.oneOf ? '__oneof_select' : '__anyof_select'}`;
  const registry = useMemo(() => {
    const Select = props.registry.widgets.SelectWidget ?? DefaultSelect;
    function PickingSelect(widget: WidgetProps) {
      return (
        <Select
          {...widget}
          onChange={(v: unknown) => {
            if (widget.id === selectId) picked.current = v === undefined ? null : Number(v);
            widget.onChange(v);
          }}
        />
      );
    }
    return { ...props.registry, widgets: { ...props.registry.widgets, SelectWidget: PickingSelect } };
  }, [props.registry, selectId]);
  const options = (props.schema.anyOf ?? props.schema.oneOf ?? []) as RJSFSchema[];
  const onChange: FieldProps['onChange'] = (value, path, errors, id) => {
    if (id === selectId && picked.current !== null && options[picked.current]) {
      const option = props.registry.schemaUtils.retrieveSchema(options[picked.current]!, value) as Json;
      picked.current = null;
      props.onChange(
        valueForChosenOption(value, option, getDiscriminatorFieldFromSchema(props.schema)),
        path,
        errors,
        id,
      );
      return;
    }
    props.onChange(value, path, errors, id);
  };
  return <MultiSchemaField {...props} registry={registry} onChange={onChange} />;
}

export const fields = {
  EdgeDeps: EdgeDepsField,
  NullField: NoneField,
  AnyOfField: ChoiceField,
  OneOfField: ChoiceField,
};
