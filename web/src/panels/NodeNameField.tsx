// A node's name, edited in place: renamed on blur or Enter, the store's refusal (a taken or invalid name) shown
// under the field until the next keystroke. The component panel and the schedule panel both use it.
import { useEffect, useState, type ReactNode } from 'react';
import { designerStore } from '../store';
import type { DesignerNode } from '../store/graph-ops';

export function NodeNameField({ node, caption }: { node: DesignerNode; caption: ReactNode }) {
  const [label, setLabel] = useState(node.data.label);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setLabel(node.data.label), [node.data.label]);
  return (
    <>
      <label className="field">
        <span>{caption}</span>
        <input
          aria-label="Node name"
          value={label}
          onChange={(e) => {
            setLabel(e.target.value);
            setError(null);
          }}
          onBlur={() => setError(designerStore.getState().renameNode(node.id, label.trim()))}
          onKeyDown={(e) => {
            if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          }}
        />
      </label>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </>
  );
}
