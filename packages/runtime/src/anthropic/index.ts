// @claude-auth/runtime/anthropic: the official SDK client (needs the optional peer
// @anthropic-ai/sdk). Re-exports only, by name.
export {
  createAnthropicClient,
  type AnthropicClientOptions,
  type CreateAnthropicClientOptions,
} from './anthropic-client.js';
