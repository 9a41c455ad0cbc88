/**
 * The official TypeScript SDK generations under test, installed side by side as pinned npm
 * aliases (see package.json): 0.x sends `x-api-key` and `anthropic-version: 2023-06-01`, 1.x
 * sends `Authorization: Bearer` and `anthropic-version: 2026-10-21`.
 */
import AnthropicV0 from 'anthropic-sdk-v0';
import AnthropicV1 from 'anthropic-sdk-v1';

/** What the suite passes to a client: the base URL and, for some cases, headers, retries, fetch. */
export interface ClientOptions {
  apiKey: string;
  baseURL: string;
  maxRetries?: number;
  defaultHeaders?: Record<string, string>;
  fetch?: typeof fetch;
}

/** A Messages API response, as far as the suite reads it. */
export interface Message {
  id: string;
  type: string;
  role: string;
  model: string;
  content: Array<{ type: string; text?: string }>;
  stop_reason: string | null;
  usage: { input_tokens: number; output_tokens: number };
}

/** The part of a client the suite drives; both generations have it. */
export interface ClientLike {
  messages: {
    create(body: MessageParams): Promise<Message>;
    stream(body: MessageParams): {
      on(event: 'text', listener: (delta: string) => void): unknown;
      finalMessage(): Promise<Message>;
    };
  };
  models: { list(): AsyncIterable<{ id: string; type: string }> };
  beta: {
    messages: { create(body: MessageParams & { betas: string[] }): Promise<Message> };
  };
}

/** The request body the suite sends. */
export interface MessageParams {
  model: string;
  max_tokens: number;
  messages: Array<{ role: 'user' | 'assistant'; content: string }>;
}

/** An SDK error class, as far as the suite checks it. */
export type SdkErrorClass = abstract new (...args: never[]) => Error & {
  status?: number;
  requestID?: string | null;
  headers?: Headers | Record<string, string>;
};

/** One SDK generation: how to make a client, and its error classes. */
export interface SdkUnderTest {
  /** e.g. `@anthropic-ai/sdk@1.14.0`. */
  name: string;
  client(options: ClientOptions): ClientLike;
  errors: {
    APIError: SdkErrorClass;
    AuthenticationError: SdkErrorClass;
    BadRequestError: SdkErrorClass;
    PermissionDeniedError: SdkErrorClass;
    RateLimitError: SdkErrorClass;
  };
}

/**
 * Every SDK generation the suite runs, pinned.
 *
 * @example
 * ```ts
 * for (const sdk of SDKS) sdk.client({ apiKey, baseURL }).models.list();
 * ```
 */
export const SDKS: readonly SdkUnderTest[] = [
  {
    name: '@anthropic-ai/sdk@0.137.0',
    client: (options) => new AnthropicV0(options),
    errors: {
      APIError: AnthropicV0.APIError,
      AuthenticationError: AnthropicV0.AuthenticationError,
      BadRequestError: AnthropicV0.BadRequestError,
      PermissionDeniedError: AnthropicV0.PermissionDeniedError,
      RateLimitError: AnthropicV0.RateLimitError,
    },
  },
  {
    name: '@anthropic-ai/sdk@1.14.0',
    client: (options) => new AnthropicV1(options),
    errors: {
      APIError: AnthropicV1.APIError,
      AuthenticationError: AnthropicV1.AuthenticationError,
      BadRequestError: AnthropicV1.BadRequestError,
      PermissionDeniedError: AnthropicV1.PermissionDeniedError,
      RateLimitError: AnthropicV1.RateLimitError,
    },
  },
];
