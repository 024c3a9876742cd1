// Level of detail, as Dagster's own asset graph draws a zoomed-out graph: below DETAIL_ZOOM a node's pills (status,
// counts, last run, checks, partitions, automation, deployment) are too small to read, so a node draws only its
// colour bar, badge, name and type. Every node would otherwise render and paint them all when a big graph is
// zoomed out to fit (1,000 nodes at zoom 0.05: p95 frame 150 ms while dragging one, README "Performance").
import { useStore, type ReactFlowState } from '@xyflow/react';

/** The zoom below which nodes are drawn without their pills (a 10 px pill is 4 px high at 0.4). */
export const DETAIL_ZOOM = 0.4;

export const showsDetail = (zoom: number) => zoom >= DETAIL_ZOOM;

const detailOf = (s: ReactFlowState) => showsDetail(s.transform[2]);

/** One boolean per node: a node renders again only when the zoom crosses DETAIL_ZOOM, not on every pan or zoom. */
export const useShowsDetail = () => useStore(detailOf);
