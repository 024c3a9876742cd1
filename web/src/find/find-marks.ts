// The matches of Find, marked by an attribute on the node elements React Flow has in the DOM, instead of a class on
// each matching node (a class meant a new object for every node whose marks changed, and React Flow updating up to
// 1,000 nodes on a keystroke) or one stylesheet naming every match (a rule of up to 1,000 `[data-id]` selectors that
// Chromium tried on every node in view: 11 ms of style recalculation on a query's first keystroke at 1,000 nodes).
// Only the nodes in view are in the DOM (onlyRenderVisibleElements): those React Flow mounts later are marked as
// they arrive, before they are painted. Dimming the rest is the `finding` class on the flow wrapper
// (styles/marks.css); the current match keeps its class (one node, canvas-marks.ts).

/** The attribute a matching node's element carries (styles/marks.css). */
export const MATCH_ATTRIBUTE = 'data-find-match';

/** What marking needs of a node element (an HTMLElement in the app, a stand-in in tests). */
export interface Markable {
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  toggleAttribute(name: string, force: boolean): boolean;
}

/** Marks `element` as a match or not, touching it only when that changes; true when it changed. */
export function markElement(element: Markable, matches: ReadonlySet<string>): boolean {
  const id = element.getAttribute('data-id');
  const wanted = id !== null && matches.has(id);
  if (wanted === element.hasAttribute(MATCH_ATTRIBUTE)) return false;
  element.toggleAttribute(MATCH_ATTRIBUTE, wanted);
  return true;
}

const NODE_SELECTOR = '.react-flow__node[data-id]';

/**
 * Marks the nodes under `root` now and those React Flow mounts under it later, until the returned function is
 * called (which leaves the marks: the next call changes only what differs, and `clearMarks` takes them away).
 */
export function watchMatches(root: Element, matches: ReadonlySet<string>): () => void {
  for (const element of root.querySelectorAll(NODE_SELECTOR)) markElement(element, matches);
  const observer = new MutationObserver((records) => {
    for (const record of records)
      for (const added of record.addedNodes)
        if (added instanceof Element && added.matches(NODE_SELECTOR)) markElement(added, matches);
  });
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}

export function clearMarks(root: Element): void {
  for (const element of root.querySelectorAll(`[${MATCH_ATTRIBUTE}]`))
    element.removeAttribute(MATCH_ATTRIBUTE);
}
