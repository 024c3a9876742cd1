// POST /api/layout: the canvas's Tidy up, laid out by ELK on the server (services/layout.ts).
import { LaidOutGraph, LayoutGraph, layoutSize, MAX_LAYOUT_EDGES, MAX_LAYOUT_NODES } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { badRequest } from '../../errors.js';
import { routes } from '../schemas.js';

const layoutRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'layout');
  api.post(
    '/layout',
    "Lay a graph out with ELK (layered): the canvas's Tidy up. Each node's place is relative to its parent",
    { body: LayoutGraph, response: { 200: LaidOutGraph } },
    async ({ body }) => {
      const { nodes, edges } = layoutSize(body);
      if (nodes > MAX_LAYOUT_NODES || edges > MAX_LAYOUT_EDGES)
        throw badRequest(
          'layout_too_large',
          `A layout takes at most ${MAX_LAYOUT_NODES} nodes and ${MAX_LAYOUT_EDGES} edges; this one has ${nodes} and ${edges}.`,
          'Select a part of the graph and lay that out.',
        );
      return app.services.layout.layout(body);
    },
  );
};
export default layoutRoutes;
