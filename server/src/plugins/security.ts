// DNS-rebinding and CSRF guard: the Host must be ours, a mutating request's Origin must be ours,
// and when DESIGNER_TOKEN is set every request carries it.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';
import type { Config } from '../config.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(1, hostHeader.indexOf(']'));
  const colon = hostHeader.lastIndexOf(':');
  return (colon === -1 ? hostHeader : hostHeader.slice(0, colon)).toLowerCase();
}

function tokenOf(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  const cookie = request.headers.cookie
    ?.split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith('designer_token='));
  return cookie ? decodeURIComponent(cookie.slice('designer_token='.length)) : undefined;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export default fp(async function security(app: FastifyInstance, opts: { config: Config }) {
  const allowed = new Set(['127.0.0.1', 'localhost', '::1', opts.config.host.toLowerCase()]);
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host;
    if (!host || !allowed.has(hostnameOf(host))) {
      throw new AppError(
        403,
        'forbidden_host',
        'This server only answers requests addressed to its own host name.',
        `Open http://127.0.0.1:${opts.config.port} instead.`,
      );
    }
    if (!SAFE_METHODS.has(request.method)) {
      const origin = request.headers.origin;
      if (origin !== undefined) {
        let originHost = '';
        try {
          originHost = new URL(origin).hostname.replace(/^\[|\]$/g, '').toLowerCase();
        } catch {
          originHost = '';
        }
        if (!allowed.has(originHost)) {
          throw new AppError(
            403,
            'forbidden_origin',
            'Cross-site requests are refused.',
            'Use the designer from its own address.',
          );
        }
      }
      if (request.headers['sec-fetch-site'] === 'cross-site') {
        throw new AppError(403, 'forbidden_origin', 'Cross-site requests are refused.');
      }
    }
    const token = opts.config.token;
    if (token) {
      const url = new URL(request.url, 'http://x');
      const fromQuery = url.searchParams.get('token');
      if (fromQuery && sameToken(fromQuery, token)) {
        // Opening the app once with ?token=… stores it in an HttpOnly cookie for the API calls that follow.
        void reply.header(
          'set-cookie',
          `designer_token=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        );
        return;
      }
      const given = tokenOf(request);
      if (!given || !sameToken(given, token)) {
        throw new AppError(
          401,
          'unauthorized',
          'This server requires its access token.',
          'Send `Authorization: Bearer <DESIGNER_TOKEN>` or open the app once with ?token=<DESIGNER_TOKEN>.',
        );
      }
    }
  });
});
