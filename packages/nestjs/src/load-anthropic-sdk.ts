import { ConfigurationError, type AnthropicClientClass } from '@claude-auth/core';

const SDK = '@anthropic-ai/sdk';

/**
 * Loads the optional peer `@anthropic-ai/sdk` and returns its client class. When it is not
 * installed, throws a `ConfigurationError` (code `CLAUDE_AUTH_DRIVER_MISSING`) naming the package to
 * install; any other failure is rethrown as is.
 *
 * @example
 * ```ts
 * const Anthropic = await loadAnthropicSdk();
 * ```
 */
export async function loadAnthropicSdk(
  load: () => Promise<{ Anthropic: AnthropicClientClass }> = () => import('@anthropic-ai/sdk'),
): Promise<AnthropicClientClass> {
  try {
    return (await load()).Anthropic;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const missing =
      error instanceof Error &&
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
      (error.message.includes(`'${SDK}'`) || error.message.includes(`"${SDK}"`));
    if (!missing) throw error;
    throw new ConfigurationError(
      `ClaudeClientModule needs the official SDK but ${SDK} is not installed: ` +
        `add it next to @claude-auth/nestjs (npm install ${SDK}).`,
      { code: 'CLAUDE_AUTH_DRIVER_MISSING', cause: error },
    );
  }
}
