import type Anthropic from '@anthropic-ai/sdk';
import type { ClientOptions } from '@anthropic-ai/sdk';
import { createAnthropicSdkClient, type OutboundOptions } from '@claude-auth/core';
import { loadPeer } from '../load-peer.js';

/**
 * The SDK's own client options that {@link createAnthropicClient} passes through (`maxRetries`,
 * `timeout`, `fetch`, `logger`, …): every `ClientOptions` field except the credential and the
 * base URL, which come from the outbound options.
 *
 * @example
 * ```ts
 * const clientOptions: AnthropicClientOptions = { maxRetries: 0, timeout: 30_000 };
 * ```
 */
export type AnthropicClientOptions = Omit<
  ClientOptions,
  'apiKey' | 'authToken' | 'credentials' | 'config' | 'profile' | 'baseURL'
>;

/**
 * Options of {@link createAnthropicClient}: the outbound options, and the SDK's own.
 *
 * @example
 * ```ts
 * const options: CreateAnthropicClientOptions = {
 *   ...runtime.outboundOptions,
 *   workspaceId: 'wrkspc_01ABC',
 *   clientOptions: { timeout: 60_000 },
 * };
 * ```
 */
export interface CreateAnthropicClientOptions extends OutboundOptions {
  /** Passed to the SDK's constructor (plain-object `defaultHeaders` only). */
  clientOptions?: AnthropicClientOptions;
}

/**
 * The official `@anthropic-ai/sdk` client (an optional peer, loaded now; 0.137+ or 1.x), configured
 * from claude-auth's outbound options: every request attempt resolves the key again (`apiKey`
 * option → `ANTHROPIC_API_KEY` → `ANTHROPIC_API_KEY_FILE`, re-read when the file changes, so a
 * rotated secret needs no restart) and sends it as `x-api-key` (default) or `Authorization: Bearer`
 * (`authScheme: 'bearer'`), with `anthropic-version`, `anthropic-workspace-id` and `anthropic-beta`
 * as configured. Without the SDK installed it throws a `ConfigurationError` (code
 * `CLAUDE_AUTH_DRIVER_MISSING`). `runtime.outboundOptions` carries the configuration's
 * `upstreamBaseUrl` and the runtime's logger.
 *
 * @example
 * ```ts
 * import { createAnthropicClient } from '@claude-auth/runtime/anthropic';
 *
 * const client = await createAnthropicClient({ ...runtime.outboundOptions, authScheme: 'bearer' });
 * const message = await client.messages.create({
 *   model: 'claude-haiku-4-5',
 *   max_tokens: 256,
 *   messages: [{ role: 'user', content: 'Hello, Claude' }],
 * });
 * ```
 */
export async function createAnthropicClient(
  options: CreateAnthropicClientOptions = {},
): Promise<Anthropic> {
  const { clientOptions, ...outbound } = options;
  const sdk = await loadPeer(
    '@anthropic-ai/sdk',
    'createAnthropicClient',
    () => import('@anthropic-ai/sdk'),
  );
  return createAnthropicSdkClient(sdk.Anthropic, outbound, clientOptions);
}
