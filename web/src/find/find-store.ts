// State of Find on the canvas: whether the bar is open, the matches of its query and the one shown. Separate from
// the designer's store so typing in the bar never touches what the canvas subscribes to for its nodes.
import { create } from 'zustand';
import { getFlowInstance } from '../store/flow-instance';
import type { FindMatch } from './find-index';

export interface FindState {
  open: boolean;
  /** Bumped on every Ctrl/Cmd+F, so an open bar takes the focus again. */
  focusCount: number;
  query: string;
  matches: FindMatch[];
  /** Index in `matches` of the node the view moved to, or -1. */
  current: number;
}

export const useFind = create<FindState>(() => ({
  open: false,
  focusCount: 0,
  query: '',
  matches: [],
  current: -1,
}));

export function openFind(): void {
  useFind.setState((s) => ({ open: true, focusCount: s.focusCount + 1 }));
}

export function closeFind(): void {
  if (!useFind.getState().open) return;
  useFind.setState({ open: false, query: '', matches: [], current: -1 });
}

/** New matches for a query; the node shown stays current when it still matches. */
export function setMatches(query: string, matches: FindMatch[]): void {
  useFind.setState((s) => {
    const shown = s.matches[s.current]?.id;
    const kept = shown === undefined ? -1 : matches.findIndex((m) => m.id === shown);
    return { query, matches, current: kept };
  });
}

/** Enter / Shift+Enter: the next or previous match, and the view moves to it. */
export function stepFind(delta: 1 | -1): void {
  const { matches, current, open } = useFind.getState();
  if (!open) {
    openFind();
    return;
  }
  if (matches.length === 0) return;
  const next =
    current === -1
      ? delta === 1
        ? 0
        : matches.length - 1
      : (current + delta + matches.length) % matches.length;
  useFind.setState({ current: next });
  centreOn(matches[next]!.id);
}

export function centreOn(id: string): void {
  const flow = getFlowInstance();
  const node = flow?.getInternalNode(id);
  if (!flow || !node) return;
  const { x, y } = node.internals.positionAbsolute;
  const width = node.measured.width ?? 220;
  const height = node.measured.height ?? 70;
  void flow.setCenter(x + width / 2, y + height / 2, { zoom: Math.max(flow.getZoom(), 0.8), duration: 250 });
}
