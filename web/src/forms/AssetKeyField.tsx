// The asset key of a component that declares its assets (a script, a SQL template), at the top of its properties:
// the one thing every such node needs, otherwise found only under Assets → Asset Spec Kwargs → Key in the form.
import { normaliseKey } from '@designer/shared';
import { useEffect, useState } from 'react';
import { designerStore } from '../store';
import type { DesignerNode } from '../store/graph-ops';

type AssetEntry = Record<string, unknown>;
const isObject = (v: unknown): v is AssetEntry => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The declared assets of a node, or null when its component does not declare them in `assets`. */
export function declaredAssetEntries(node: DesignerNode): AssetEntry[] | null {
  const assets = node.data.attributes.assets;
  return Array.isArray(assets) && assets.length > 0 && assets.every(isObject) ? assets : null;
}

/** A key as typed: "a/b" (Dagster reads a slash-separated string as a multi-part key). */
export function keyText(key: unknown): string {
  return typeof key === 'string' ? key : (normaliseKey(key) ?? '');
}

/** Why a typed key cannot be written, or null. */
export function keyProblem(text: string): string | null {
  if (text.trim() === '') return 'An asset needs a key.';
  if (text.split('/').some((part) => part.trim() === ''))
    return 'A key has no empty parts: write "a/b", not "a//b" or "a/".';
  if (/\s/.test(text)) return 'A key has no spaces: use _ between words and / between the parts.';
  return null;
}

/** The node's attributes with asset `index` under `key`: the rest of every asset is kept as it is. */
export function withAssetKey(
  attributes: Record<string, unknown>,
  index: number,
  key: string,
): Record<string, unknown> {
  const assets = (attributes.assets as AssetEntry[]).map((a, i) => (i === index ? { ...a, key } : a));
  return { ...attributes, assets };
}

function KeyInput({ node, index, asset }: { node: DesignerNode; index: number; asset: AssetEntry }) {
  const stored = keyText(asset.key);
  const [text, setText] = useState(stored);
  useEffect(() => setText(stored), [stored]);
  const templated = typeof asset.key === 'string' && asset.key.includes('{{');
  const problem = templated ? null : keyProblem(text);
  const prefix = (node.data.translation as { key_prefix?: string } | undefined)?.key_prefix;
  const follows = stored === node.data.label;
  return (
    <label className="field asset-key-field">
      <span>Asset key{index > 0 ? ` ${index + 1}` : ''}</span>
      <input
        aria-label={index > 0 ? `Asset key ${index + 1}` : 'Asset key'}
        className="mono"
        value={text}
        readOnly={templated}
        aria-invalid={problem !== null}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          // Only a key Dagster can take is written; the field shows why another is not.
          if (keyProblem(next) === null)
            designerStore
              .getState()
              .updateNode(
                node.id,
                { attributes: withAssetKey(node.data.attributes, index, next.trim()) },
                `attributes:${node.id}`,
              );
        }}
      />
      {problem ? (
        <span className="field-error" role="alert">
          {problem}
        </span>
      ) : (
        <span className="muted small">
          {templated
            ? 'Set by a template: edit it in the form below or in the YAML tab.'
            : follows
              ? 'Follows the name: renaming the component renames the key.'
              : 'Your own key: renaming the component keeps it.'}
          {prefix && !templated ? ` Full key: ${prefix.replace(/\/+$/, '')}/${text}.` : ''}
        </span>
      )}
    </label>
  );
}

/** One "Asset key" field per declared asset; nothing for components whose assets come from elsewhere (dbt…). */
export function AssetKeyFields({ node }: { node: DesignerNode }) {
  const assets = declaredAssetEntries(node);
  if (!assets) return null;
  return (
    <div className="asset-keys props-keys">
      {assets.map((asset, i) => (
        <KeyInput key={i} node={node} index={i} asset={asset} />
      ))}
    </div>
  );
}
