// The nodes as the Problems drawer and the property panel see them: what a problem or a form can depend on (id,
// kind, data), not where a node is, how big it is or whether it is selected. A drag changes every step's nodes
// array but none of that, so the graph is not validated and the panel not rendered again on every step (README
// "Performance", issue 18).

interface ContentNode {
  id: string;
  type?: string | undefined;
  data: unknown;
}

/** True when `x` and `y` are the same node with the very same data object (place, size, selection aside). */
const sameNode = (x: ContentNode, y: ContentNode) => x.id === y.id && x.type === y.type && x.data === y.data;

/** True when `a` and `b` hold the same nodes in the same order with the very same data objects. */
export function sameContent(a: readonly ContentNode[], b: readonly ContentNode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (!sameNode(a[i]!, b[i]!)) return false;
  return true;
}

/**
 * A memo for a store selector: gives back the array it gave last time while only positions, sizes or selection
 * changed, so a selector using it returns the same value and its component does not render again.
 */
export function contentMemo<N extends ContentNode>(): (nodes: readonly N[]) => readonly N[] {
  let last: readonly N[] | null = null;
  return (nodes) => {
    if (last === null || !sameContent(last, nodes)) last = nodes;
    return last;
  };
}

/**
 * A memo for the property panel's selector: the one selected node, 'many', or null.
 * - While only the selected node's place, size or drag state change, it gives back the node it gave last time, so a
 *   drag does not render the panel (and its form) again on every step.
 * - While a node is dragged, what it gave stays: a drag that starts on an unselected node selects it, and that
 *   node's panel (a form of dozens of fields, ~50 ms to build) comes when the drag ends, not in its first frame.
 *   React Flow selects that node just before it marks it as dragged, so `held` (the pointer pressed on a node,
 *   canvas/nodes/pressed.ts) holds a new selection back as well, until the release.
 */
export function selectedNodeMemo<N extends ContentNode & { selected?: boolean; dragging?: boolean }>(
  held: () => boolean = () => false,
): (nodes: readonly N[]) => N | 'many' | null {
  let shown: N | 'many' | null = null;
  return (nodes) => {
    let found: N | 'many' | null = null;
    let dragging = false;
    for (const n of nodes) {
      if (n.dragging) dragging = true;
      if (n.selected) found = found ? 'many' : n;
    }
    if (found === shown) return shown;
    const same =
      found !== null && found !== 'many' && shown !== null && shown !== 'many' && sameNode(found, shown);
    if (!same && !dragging && !held()) shown = found;
    return shown;
  };
}
