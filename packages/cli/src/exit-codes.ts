import {
  ConfigurationError,
  NotFoundError,
  StoreUnavailableError,
  isClaudeAuthError,
} from '@claude-auth/core';

/**
 * The exit codes of `claude-auth`, stable for scripts.
 *
 * @example
 * ```ts
 * const code = await run(['keys', 'get', 'key_x'], io);
 * if (code === EXIT_CODES.notFound) console.log('no such key');
 * ```
 */
export const EXIT_CODES = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  notFound: 3,
  invalidInput: 4,
  storeUnavailable: 5,
} as const;

/** One of the values of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * A bad value given to a command (a malformed duration, a negative limit, an unknown status...).
 * Exits with {@link EXIT_CODES.invalidInput}.
 *
 * @example
 * ```ts
 * if (!(rpm > 0)) throw new InvalidInputError('--rpm must be a positive integer');
 * ```
 */
export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/** What the CLI reports for a failure: exit code, error type for `--json`, one-line message. */
export interface CliFailure {
  code: ExitCode;
  type: 'not_found' | 'invalid_input' | 'store_unavailable' | 'internal';
  message: string;
}

/**
 * Classifies any thrown value into an exit code and a one-line, key-free message.
 *
 * @example
 * ```ts
 * describeFailure(new NotFoundError('No key key_x')); // { code: 3, type: 'not_found', ... }
 * ```
 */
export function describeFailure(error: unknown): CliFailure {
  if (error instanceof NotFoundError || (isClaudeAuthError(error) && error.status === 404)) {
    return { code: EXIT_CODES.notFound, type: 'not_found', message: oneLine(error.message) };
  }
  if (
    error instanceof InvalidInputError ||
    error instanceof ConfigurationError ||
    (isClaudeAuthError(error) && error.status === 400)
  ) {
    return {
      code: EXIT_CODES.invalidInput,
      type: 'invalid_input',
      message: oneLine(error.message),
    };
  }
  if (isStoreUnavailable(error)) {
    const cause = causeCode(error.cause);
    const message =
      cause === undefined || error.message.includes(cause)
        ? error.message
        : `${error.message} (${cause})`;
    return {
      code: EXIT_CODES.storeUnavailable,
      type: 'store_unavailable',
      message: oneLine(message),
    };
  }
  const detail = error instanceof Error ? ` (${error.name})` : '';
  return {
    code: EXIT_CODES.unexpected,
    type: 'internal',
    message: `Unexpected error${detail}; set CLAUDE_AUTH_DEBUG=1 for details`,
  };
}

function isStoreUnavailable(error: unknown): error is Error {
  return (
    error instanceof StoreUnavailableError ||
    (error instanceof Error &&
      (error as { code?: unknown }).code === 'CLAUDE_AUTH_STORE_UNAVAILABLE')
  );
}

/** A short, key-free code of the underlying cause (`ECONNREFUSED`, `SQLITE_CANTOPEN`). */
function causeCode(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : undefined;
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
