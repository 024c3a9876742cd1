// Errors are values with a code, a message for the user and a hint; the error handler renders them.

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, hint?: string, details?: unknown) =>
  new AppError(400, code, message, hint, details);
export const notFound = (code: string, message: string, hint?: string) =>
  new AppError(404, code, message, hint);
export const conflict = (code: string, message: string, hint?: string, details?: unknown) =>
  new AppError(409, code, message, hint, details);
export const unavailable = (code: string, message: string, hint?: string) =>
  new AppError(503, code, message, hint);

/** The same for every string inside a JSON value (an API answer); values shorter than 4 characters are left. */
export function redactValue<T>(value: T, secrets: readonly (string | undefined)[]): T {
  return secrets.some((s) => s && s.length >= 4)
    ? (JSON.parse(redact(JSON.stringify(value), secrets)) as T)
    : value;
}

/** Removes every occurrence of the given secrets from a text before it reaches a log or a response. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}
