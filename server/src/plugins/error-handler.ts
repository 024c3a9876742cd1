// One error shape for the whole API: { error: { code, message, hint?, details? } }, Fastify's own errors
// (bad JSON, validation, 413, 414, 415, bad URLs) included.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';

/** The limit of the route that refused the body, in the user's units (a file PUT, a ZIP and a project differ). */
function bodyLimitHint(limit: number | undefined): string {
  if (!limit) return 'Send a smaller body.';
  const mib = limit / (1024 * 1024);
  return `This request accepts at most ${mib >= 1 ? `${Number(mib.toFixed(1))} MiB` : `${Math.round(limit / 1024)} KiB`}.`;
}

function fromFastify(error: FastifyError, request: FastifyRequest): AppError {
  if (error.validation) {
    const first = error.validation[0];
    const where = `${error.validationContext ?? 'request'}${first?.instancePath ?? ''}`;
    // Which field it is when the object has one it does not take (Ajv says only that there is one).
    const extra = (first?.params as { additionalProperty?: unknown } | undefined)?.additionalProperty;
    const named = typeof extra === 'string' ? ` ("${extra.slice(0, 100)}")` : '';
    return new AppError(
      400,
      'invalid_request',
      `Invalid ${where}: ${first?.message ?? error.message}${named}.`,
      'Check the request against /api/openapi.json.',
      { issues: error.validation.slice(0, 10) },
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(
        400,
        'invalid_json',
        'The request body is not valid JSON.',
        'Send a JSON object with Content-Type: application/json.',
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(
        413,
        'body_too_large',
        'The request body is too large.',
        bodyLimitHint(request.routeOptions.bodyLimit),
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(
        415,
        'unsupported_media_type',
        `The content type "${String(request.headers['content-type'] ?? '').slice(0, 100)}" is not accepted.`,
        'Send application/json (application/zip for a ZIP import).',
      );
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new AppError(
        414,
        'parameter_too_long',
        'A name in the URL is too long.',
        'Ids, labels, component types and env var names are all shorter than that: check the URL.',
      );
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_INVALID_URL':
      return new AppError(
        400,
        'invalid_url',
        'The URL is not valid (a bad percent-encoding?).',
        'Encode each path segment with encodeURIComponent.',
      );
    default:
      break;
  }
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  return new AppError(
    status,
    status === 500 ? 'internal_error' : 'bad_request',
    status === 500 ? 'Something went wrong on the server.' : error.message,
    status === 500 ? 'See the server log for details.' : undefined,
  );
}

function send(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const appError = error instanceof AppError ? error : fromFastify(error as FastifyError, request);
  if (appError.statusCode >= 500) request.log.error({ err: error }, appError.message);
  else request.log.info({ code: appError.code }, appError.message);
  const body = {
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.hint ? { hint: appError.hint } : {}),
      ...(appError.details !== undefined ? { details: appError.details } : {}),
    },
  };
  return reply.status(appError.statusCode).send(body);
}

/** For Fastify's `clientErrorHandler`: a request Node cannot parse (garbage, headers too large), same shape. */
export function clientErrorHandler(
  error: Error & { code?: string },
  socket: import('node:net').Socket,
): void {
  if (!socket.writable) return;
  const large = error.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify({
    error: {
      code: large ? 'headers_too_large' : 'bad_http_request',
      message: large ? 'The request headers are too large.' : 'The request is not valid HTTP.',
      hint: large ? 'Send fewer or shorter headers (cookies?).' : 'Send an HTTP/1.1 request.',
    },
  });
  socket.end(
    `HTTP/1.1 ${large ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

/** For Fastify's `frameworkErrors` option: errors the router raises before any route or hook runs. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  return send(error, request, reply);
}

export default fp(async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => send(error, request, reply));
});
