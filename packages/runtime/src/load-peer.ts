import { ConfigurationError } from '@claude-auth/core';

/** The optional peers the runtime loads only when the configuration or a call asks for them. */
export type OptionalDriver = '@claude-auth/postgres' | '@claude-auth/redis' | '@anthropic-ai/sdk';

/**
 * Loads an optional peer dependency with `load` (a literal `import()` of `name`). When the package
 * is not installed, throws a `ConfigurationError` (code `CLAUDE_AUTH_DRIVER_MISSING`) that names the
 * package to install and the configuration field that asked for it; any other failure is rethrown
 * as is.
 *
 * @example
 * ```ts
 * const { RedisRateLimiter } = await loadPeer('@claude-auth/redis', 'redisUrl', () =>
 *   import('@claude-auth/redis'),
 * );
 * ```
 */
export async function loadPeer<T>(
  name: OptionalDriver,
  field: 'storeUrl' | 'redisUrl' | 'createAnthropicClient',
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (!isMissingPackage(error, name)) throw error;
    const what =
      field === 'storeUrl'
        ? 'The configuration names a PostgreSQL store URL (storeUrl)'
        : field === 'redisUrl'
          ? 'The configuration names a Redis URL (redisUrl)'
          : 'createAnthropicClient() needs the official SDK';
    throw new ConfigurationError(
      `${what} but ${name} is not installed: ` +
        `add it next to @claude-auth/runtime (npm install ${name}).`,
      { code: 'CLAUDE_AUTH_DRIVER_MISSING', field, cause: error },
    );
  }
}

/** True when `error` says that the package `name` itself cannot be resolved (ESM or CJS). */
function isMissingPackage(error: unknown, name: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    (error.message.includes(`'${name}'`) || error.message.includes(`"${name}"`))
  );
}
