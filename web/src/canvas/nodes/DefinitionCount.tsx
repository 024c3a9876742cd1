// What a node defines at the last preview, in one pill: "8 assets · 12 checks · 1 job".
import { useDesigner } from '../../store';
import type { PreviewState } from '../../store/types';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Counts of the definitions whose node is `id`, the kinds it has none of left out ("0 assets" when empty); before
 * a preview has seen the node (the first one still running, or the node added since), says so instead of "0 assets".
 */
export function definitionCounts(preview: PreviewState, id: string): string {
  if (!preview.definitions || (preview.nodeIds && !preview.nodeIds.has(id)))
    return preview.status === 'running' ? 'previewing…' : 'not previewed yet';
  const count = (list: ReadonlyArray<{ nodeId?: string }> | undefined) =>
    (list ?? []).reduce((n, d) => (d.nodeId === id ? n + 1 : n), 0);
  const defs = preview.definitions;
  const parts: Array<[number, string]> = [
    [count(preview.assets), 'asset'],
    [count(defs?.checks), 'check'],
    [count(defs?.jobs), 'job'],
    [count(defs?.schedules), 'schedule'],
    [count(defs?.sensors), 'sensor'],
    [count(defs?.resources), 'resource'],
  ];
  const shown = parts.filter(([n]) => n > 0);
  return (shown.length > 0 ? shown : parts.slice(0, 1)).map(([n, word]) => plural(n, word)).join(' · ');
}

export function DefinitionCount({ id }: { id: string }) {
  const text = useDesigner((s) => (s.preview.status === 'idle' ? null : definitionCounts(s.preview, id)));
  if (text === null) return null;
  return (
    <span
      className="node-pill node-assets"
      data-testid="node-counts"
      title="What this node defines (last preview)"
    >
      {text}
    </span>
  );
}
