// Serves the built SPA (web/dist) at `/`; unknown non-API GETs get index.html so client routes work.
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export default fp(async function webApp(app: FastifyInstance, opts: { root: string }) {
  const hasBuild = existsSync(opts.root);
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root: opts.root,
      prefix: '/',
      wildcard: true,
      index: 'index.html',
      cacheControl: false,
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '';
    if (
      request.method === 'GET' &&
      !pathname.startsWith('/api/') &&
      hasBuild &&
      !/\.[a-z0-9]+$/i.test(pathname)
    ) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.status(404).send({
      error: {
        code: 'route_not_found',
        message: `No route ${request.method} ${pathname}.`,
        hint:
          hasBuild || pathname.startsWith('/api/')
            ? 'See /api/openapi.json for the API.'
            : 'The web app is not built: run `npm start`.',
      },
    });
  });
});
