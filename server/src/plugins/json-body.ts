// Request bodies: JSON only (no text/plain, which any cross-site form can send), nested at most
// MAX_JSON_DEPTH levels, checked on the raw text before it is parsed, validated or stored, so a body nested
// 100,000 levels deep is a 400, not a stack overflow in the validator, the YAML writer or the project file.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';
import { closingQuote, ReusingParser } from '../lib/json-reuse.js';

/** Deeper than any project file, attribute tree or run config needs (attributes start at level 6). */
export const MAX_JSON_DEPTH = 64;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;

/** The deepest nesting of objects and arrays in a JSON text (strings skipped), stopping past `limit`. */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(text, i);
      if (end === -1) return deepest;
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth -= 1;
  }
  return deepest;
}

/**
 * A route's `config` that makes its bodies parsed reusing the previous body's unchanged array elements
 * (lib/json-reuse.ts): a project save, whose 1,000-node graph mostly repeats the last one.
 */
export const REUSE_BODY_ELEMENTS = { reuseBodyElements: true } as const;

export default fp(async function jsonBody(app: FastifyInstance) {
  const parse = app.getDefaultJsonParser('error', 'error');
  const reusing = new ReusingParser();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    const reuse = (request.routeOptions.config as { reuseBodyElements?: boolean }).reuseBodyElements === true;
    const reused = reuse ? reusing.parse(request.url, text, MAX_JSON_DEPTH) : null;
    if ((reused ? reused.depth : jsonDepth(text, MAX_JSON_DEPTH)) > MAX_JSON_DEPTH) {
      done(
        new AppError(
          400,
          'body_too_deep',
          `The request body is nested more than ${MAX_JSON_DEPTH} levels deep.`,
          'Flatten the value: no component attribute or run configuration needs that many levels.',
        ),
        undefined,
      );
      return;
    }
    // The fast path answers only what JSON.parse of the whole text answers, with no suspected prototype key;
    // anything else (and every error) is the default parser's, with secure-json-parse's checks.
    if (reused && reused.value !== undefined) done(null, reused.value);
    else parse(request, text, done);
  });
});
