import { Health } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { VERSION } from '../../../version.js';

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { schema: { tags: ['system'], summary: 'Server and toolchain status', response: { 200: Health } } }, async () => {
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
    };
  });
};
export default health;
