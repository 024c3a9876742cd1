// OpenAPI document at /api/openapi.json, generated from the routes' TypeBox schemas.
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { VERSION } from '../version.js';

export default fp(async function openapi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Dagster Designer API',
        version: VERSION,
        description: 'Design, sync, preview, run and hand over real Dagster projects.',
      },
      servers: [{ url: '/' }],
    },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
});
