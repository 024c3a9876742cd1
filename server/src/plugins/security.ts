// DNS-rebinding and cross-site guard. The Host must be ours; an API request must come from our own origin
// (scheme + host + port) whenever the browser says where it comes from; GETs get the same check as writes,
// because some of them run tools (export syncs, the project catalog runs dg). When DESIGNER_TOKEN is set,
// every request carries it.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';
import type { Config } from '../config.js';

/** The header the web app sends on every API call; a cross-site <img>, <a> or form cannot set it. */
export const SPA_HEADER = 'x-designer-request';

/** Fetch Metadata values that are not another site: our own pages, and the user typing the URL. */
const OWN_SITE = new Set(['same-origin', 'none']);

function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(1, hostHeader.indexOf(']')).toLowerCase();
  const colon = hostHeader.lastIndexOf(':');
  return (colon === -1 ? hostHeader : hostHeader.slice(0, colon)).toLowerCase();
}

/** `http://<Host>` normalised as browsers write an Origin (lowercase, no default port). */
function ownOrigin(hostHeader: string): string | null {
  try {
    return new URL(`http://${hostHeader}`).origin;
  } catch {
    return null;
  }
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

const crossSite = (message: string) =>
  new AppError(
    403,
    'forbidden_origin',
    message,
    'Use the designer from its own address (the page the server serves), not from another site or port.',
  );

/**
 * Why an API request is not from our own origin, or null. `Origin` must equal http://<Host> exactly (another
 * port is another origin); `Sec-Fetch-Site` must be same-origin or none (same-site from another local port is
 * another site for us). A browser that sends neither (before Fetch Metadata) must send SPA_HEADER, which only
 * our own page can; clients that are not browsers send neither and are not at risk of cross-site requests.
 */
export function crossSiteProblem(headers: FastifyRequest['headers']): string | null {
  const origin = headers.origin;
  if (origin !== undefined) {
    const own = ownOrigin(headers.host ?? '');
    if (origin !== own)
      return `Requests from ${origin.slice(0, 200)} are refused: only ${own} may call this API.`;
  }
  const site = headers['sec-fetch-site'];
  if (site !== undefined) {
    return OWN_SITE.has(site)
      ? null
      : `Requests from another site (Sec-Fetch-Site: ${site.slice(0, 40)}) are refused.`;
  }
  const browser = /^Mozilla\//.test(headers['user-agent'] ?? '');
  // EventSource cannot set headers; the run log stream is read-only.
  const eventStream = /text\/event-stream/.test(headers.accept ?? '');
  if (origin === undefined && browser && !eventStream && headers[SPA_HEADER] !== '1')
    return `A browser request without Origin or Fetch Metadata must carry ${SPA_HEADER}: 1 (the designer's page sends it).`;
  return null;
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
    // The API, every method: a GET can run tools too. Pages (the web app) may be opened from anywhere.
    if (request.url.startsWith('/api/') || request.url === '/api') {
      const problem = crossSiteProblem(request.headers);
      if (problem) throw crossSite(problem);
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
