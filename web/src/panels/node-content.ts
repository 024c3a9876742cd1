// The nodes as the Problems drawer sees them: what a problem can depend on (id, kind, data), not where a node is,
// how big it is or whether it is selected. A drag changes every step's nodes array but none of that, so the graph
// is not validated again on every step (README "Performance", issue 18).

interface ContentNode {
  id: string;
  type?: string | undefined;
  data: unknown;
}

/** True when `a` and `b` hold the same nodes in the same order with the very same data objects. */
export function sameContent(a: readonly ContentNode[], b: readonly ContentNode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.id !== y.id || x.type !== y.type || x.data !== y.data) return false;
  }
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
