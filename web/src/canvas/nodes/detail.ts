// Level of detail, as Dagster's own asset graph draws a zoomed-out graph: below DETAIL_ZOOM a node's pills (status,
// counts, last run, checks, partitions, automation, deployment) are too small to read, so a node draws only its
// colour bar, badge, name and type; below OUTLINE_ZOOM its name is too (a 12 px name is under 2 px high), so it is
// its box and colour bar, the same size, named by its title and accessible name. Every node would otherwise render
// and paint all of it when a big graph is zoomed out to fit (1,000 nodes at zoom 0.05: p95 frame 150 ms while
// dragging one, README "Performance").
import { useStore, type ReactFlowState } from '@xyflow/react';

/** The zoom below which nodes are drawn without their pills (a 10 px pill is 4 px high at 0.4). */
export const DETAIL_ZOOM = 0.4;
/** The zoom below which nodes are drawn as their box only (a 12 px name is 1.8 px high at 0.15). */
export const OUTLINE_ZOOM = 0.15;

export type DetailLevel = 'full' | 'minimal' | 'outline';

export const detailLevel = (zoom: number): DetailLevel =>
  zoom >= DETAIL_ZOOM ? 'full' : zoom >= OUTLINE_ZOOM ? 'minimal' : 'outline';

const levelOf = (s: ReactFlowState) => detailLevel(s.transform[2]);

/** One string per node: a node renders again only when the zoom crosses a level, not on every pan or zoom. */
export const useDetailLevel = () => useStore(levelOf);
