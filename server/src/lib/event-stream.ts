// Server-sent events: a route takes the response over from Fastify and writes `data:` frames itself.
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/** Hijacks the reply and starts a `text/event-stream` answer; the caller writes frames and ends it. */
export function openEventStream(reply: FastifyReply): ServerResponse {
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  return out;
}
