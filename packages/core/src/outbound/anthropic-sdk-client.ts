/** The official `@anthropic-ai/sdk` client, configured from claude-auth's outbound options. */
import type { Logger } from '../auth/types.js';
import type { ApiVersion } from '../versions.js';
import { DEFAULT_BASE_URL, normaliseBaseUrl } from './claude-client.js';
import { buildHeaders, type AuthScheme } from './headers.js';
import { resolveApiKey, type ApiKeyOption } from './resolve-api-key.js';

/**
 * How a service calls the Claude API: the key (resolved per request, so a rotated secret file is
 * picked up), base URL, `anthropic-version`, auth scheme, workspace and betas. Shared by
 * `createAnthropicSdkClient`, `@claude-auth/runtime`'s `createAnthropicClient` and
 * `@claude-auth/nestjs`'s `ClaudeClientModule` and `ClaudeHeadersProvider`.
 *
 * @example
 * ```ts
 * const outbound: OutboundOptions = { baseUrl: config.upstreamBaseUrl, authScheme: 'bearer' };
 * ```
 */
export interface OutboundOptions {
  /** Key or key function; otherwise `ANTHROPIC_API_KEY`, then `ANTHROPIC_API_KEY_FILE`, per request. */
  apiKey?: ApiKeyOption;
  /** Defaults to `ANTHROPIC_BASE_URL`, then `https://api.anthropic.com`. */
  baseUrl?: string;
  /** `anthropic-version`: any `YYYY-MM-DD` (unknown ones warn once); default `2023-06-01`. */
  version?: ApiVersion;
  /** `x-api-key` (default) or `bearer` (`Authorization: Bearer <key>`). */
  authScheme?: AuthScheme;
  /** Sent as `anthropic-workspace-id` (`wrkspc_…`). */
  workspaceId?: string;
  /** Sent as `anthropic-beta` unless a call sets its own. */
  betas?: readonly string[];
  /** Environment for the key and base URL; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Receives key and version warnings; never key material. */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * The SDK's client class, structurally: a constructor taking its `ClientOptions`.
 *
 * @example
 * ```ts
 * import Anthropic from '@anthropic-ai/sdk';
 * const sdk: AnthropicClientClass = Anthropic;
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any SDK generation's ClientOptions
export type AnthropicClientClass = abstract new (options?: any) => object;

/** The protected parts of the SDK's `BaseAnthropic` this file overrides (0.137+ and 1.x). */
interface SdkInternals {
  apiKey: string | null;
  authToken: string | null;
  authHeaders(options: unknown): Promise<unknown>;
}

/**
 * Creates an instance of the official SDK's client class `Anthropic` (pass the class: core does not
 * depend on the SDK) whose every request attempt resolves the key again (option → `ANTHROPIC_API_KEY`
 * → `ANTHROPIC_API_KEY_FILE`, the file re-read when it changes) and sends it as `x-api-key` or, with
 * `authScheme: 'bearer'`, as `Authorization: Bearer`, whatever the SDK generation's own default;
 * plus `anthropic-version`, `anthropic-workspace-id` and `anthropic-beta`. The SDK's credential
 * chain (profiles, `ANTHROPIC_AUTH_TOKEN`) is not consulted; a string `apiKey` or `authToken`
 * passed later to `withOptions()` wins. `clientOptions` are the SDK's other options (`maxRetries`, `timeout`,
 * `fetch`, …). Invalid options throw a `ConfigurationError` here; a missing key throws
 * `MissingApiKeyError` from the call that needs it.
 *
 * @example
 * ```ts
 * import Anthropic from '@anthropic-ai/sdk';
 * const client = createAnthropicSdkClient(Anthropic, { baseUrl: config.upstreamBaseUrl });
 * const message = await client.messages.create({ model, max_tokens: 256, messages });
 * ```
 */
export function createAnthropicSdkClient<C extends AnthropicClientClass>(
  Anthropic: C,
  options: OutboundOptions = {},
  clientOptions: object = {},
): InstanceType<C> {
  const env = options.env ?? process.env;
  const scheme = options.authScheme ?? 'x-api-key';
  // Validates version, scheme, betas and workspace now (a placeholder stands in for the key).
  const {
    'x-api-key': _key,
    authorization: _auth,
    'content-type': _type,
    ...fixed
  } = buildHeaders({
    apiKey: 'placeholder',
    ...(options.version === undefined ? {} : { version: options.version }),
    authScheme: scheme,
    ...(options.betas === undefined ? {} : { betas: options.betas }),
    ...(options.workspaceId === undefined ? {} : { workspaceId: options.workspaceId }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const envBaseUrl = env.ANTHROPIC_BASE_URL?.trim();
  const baseURL =
    options.baseUrl !== undefined
      ? normaliseBaseUrl(options.baseUrl, 'baseUrl')
      : envBaseUrl !== undefined && envBaseUrl !== ''
        ? normaliseBaseUrl(envBaseUrl, 'ANTHROPIC_BASE_URL')
        : DEFAULT_BASE_URL;

  const credential = async (): Promise<Record<string, string>> => {
    const { apiKey } = await resolveApiKey({
      env,
      ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
    const headers = buildHeaders({
      apiKey,
      authScheme: scheme,
      version: fixed['anthropic-version'],
    });
    return scheme === 'bearer'
      ? { authorization: headers.authorization! }
      : { 'x-api-key': headers['x-api-key']! };
  };

  const Base = Anthropic as unknown as new (options: object) => SdkInternals;
  class ConfiguredAnthropic extends Base {
    /** Never the SDK's credential chain: the key comes from claude-auth's resolution. */
    protected _shouldResolveDefaultCredentials(): boolean {
      return false;
    }

    override async authHeaders(requestOptions: unknown): Promise<unknown> {
      if (this.apiKey != null || this.authToken != null) return super.authHeaders(requestOptions);
      return credential();
    }
  }
  const client = new ConfiguredAnthropic({
    ...clientOptions,
    // The credential is ours: none of the SDK's own (its environment variables are not read).
    apiKey: null,
    authToken: null,
    credentials: null,
    config: null,
    profile: null,
    baseURL,
    defaultHeaders: { ...(clientOptions as { defaultHeaders?: object }).defaultHeaders, ...fixed },
  });
  return client as unknown as InstanceType<C>;
}
