// git's failures in the user's terms: refused credentials, a rejected push, an unreachable remote; never the token.
import { AppError, redact } from '../../errors.js';

/** git's failure, told in the user's terms, with the token removed from every word of it. */
export function gitError(message: string, token: string | undefined, remote: string): AppError {
  const text = redact(message, [token]);
  if (
    /Authentication failed|could not read Username|403|401|Permission denied|terminal prompts disabled/i.test(
      text,
    )
  ) {
    return new AppError(
      401,
      'git_auth_failed',
      `The remote refused the credentials for ${remote}.`,
      'Check the token (it needs write access to the repository) and try again.',
    );
  }
  if (/non-fast-forward|fetch first|rejected/i.test(text)) {
    return new AppError(
      409,
      'push_rejected',
      'The remote branch moved on since the diff was made, so the push was refused.',
      'Show the diff again (it is recomputed on top of the new remote head) and push again. Nothing was overwritten.',
    );
  }
  if (
    /Could not resolve host|Connection refused|unable to access|does not appear to be a git repository|not found/i.test(
      text,
    )
  ) {
    return new AppError(
      502,
      'git_remote_unreachable',
      `The remote ${remote} cannot be reached: ${text.split('\n').filter(Boolean).slice(-1)[0] ?? ''}`,
      'Check the URL and that the repository exists.',
    );
  }
  return new AppError(
    502,
    'git_failed',
    `git failed: ${text.split('\n').filter(Boolean).slice(-2).join(' ')}`,
  );
}
