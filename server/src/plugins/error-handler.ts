// One error shape for the whole API: { error: { code, message, hint?, details? } }.
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';

function fromFastify(error: FastifyError): AppError {
  if (error.validation) {
    const first = error.validation[0];
    const where = `${error.validationContext ?? 'request'}${first?.instancePath ?? ''}`;
    return new AppError(
      400,
      'invalid_request',
      `Invalid ${where}: ${first?.message ?? error.message}.`,
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
        'Project files are limited to 20 MB.',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(
        415,
        'unsupported_media_type',
        'This content type is not accepted.',
        'Send application/json.',
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

export default fp(async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const appError = error instanceof AppError ? error : fromFastify(error as FastifyError);
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
  });
});
