// What the canvas lays graphs out with: ELK on the server (POST /api/layout, server/src/services/layout.ts), or in
// the tests ELK in-process. layout.ts and group-layout.ts build the graphs.
import type { LayoutGraph } from '@designer/shared';
import type { ElkNode } from 'elkjs/lib/elk-api';
import { api } from '../api/client';

/** What lays a graph out: the server (the app) or ELK in-process (the tests). */
export interface LayoutEngine {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/** The server's ELK; the graphs layout.ts and group-layout.ts build are the API's LayoutGraph. */
export const serverLayout: LayoutEngine = {
  layout: (graph) => api.layout(graph as LayoutGraph) as Promise<ElkNode>,
};
