import { Health } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { VERSION } from '../../../version.js';

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    { schema: { tags: ['system'], summary: 'Server and toolchain status', response: { 200: Health } } },
    async () => {
      const { toolchain, catalogEnv } = app.services;
      const uv = await toolchain.detectUv();
      const catalog = catalogEnv.state();
      return {
        status: uv && catalog.state !== 'error' ? ('ok' as const) : ('degraded' as const),
        version: VERSION,
        toolchain: {
          uv,
          dagster: toolchain.pins.dagster,
          createDagster: toolchain.pins.createDagster,
          ready: uv !== null,
          catalog: catalog.state,
          ...(catalog.message ? { message: catalog.message } : {}),
        },
        instances: await Promise.all(
          app.services.instances.list().map(async (i) => ({
            projectId: i.projectId,
            url: i.url,
            reachable: await fetch(`${i.url}/server_info`, { signal: AbortSignal.timeout(2000) }).then(
              (r) => r.ok,
              () => false,
            ),
          })),
        ),
      };
    },
  );
};
export default health;
