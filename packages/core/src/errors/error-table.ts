/**
 * The one place that maps every inbound condition to its HTTP status and its error `type`
 * in both vocabularies (DESIGN.md, "The contract").
 */

/** Which set of error `type` strings responses use. */
export type ErrorVocabulary = 'spec' | 'claude';

/** Error `type` strings of the spec's vocabulary (the default). */
export const SPEC_ERROR_TYPES = [
  'authentication_error',
  'invalid_api_key',
  'invalid_request_error',
  'access_denied',
  'rate_limit_exceeded',
  'not_found_error',
  'api_error',
] as const;

/** Error `type` strings the real Claude API sends (a superset of what inbound emits). */
export const CLAUDE_ERROR_TYPES = [
  'invalid_request_error',
  'authentication_error',
  'billing_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'timeout_error',
  'overloaded_error',
] as const;

export type SpecErrorType = (typeof SPEC_ERROR_TYPES)[number];
export type ClaudeErrorType = (typeof CLAUDE_ERROR_TYPES)[number];
/** Every error `type` this library emits or understands. */
export type ErrorType = SpecErrorType | ClaudeErrorType;

/** The conditions the inbound pipeline can end in, one per row of the DESIGN.md table. */
export const AUTH_CONDITIONS = {
  missing_api_key: {
    status: 401,
    spec: 'authentication_error',
    claude: 'authentication_error',
    message: 'Missing API key: send it in the x-api-key header or as Authorization: Bearer <key>',
  },
  invalid_api_key: {
    status: 401,
    spec: 'invalid_api_key',
    claude: 'authentication_error',
    message: 'Invalid API key',
  },
  key_in_query: {
    status: 401,
    spec: 'authentication_error',
    claude: 'authentication_error',
    message:
      'API keys are accepted only in the x-api-key or Authorization header, never in the URL or the body',
  },
  invalid_version: {
    status: 400,
    spec: 'invalid_request_error',
    claude: 'invalid_request_error',
    message: 'anthropic-version header is missing or names an unknown or retired version',
  },
  deprecated_version: {
    status: 400,
    spec: 'invalid_request_error',
    claude: 'invalid_request_error',
    message: 'anthropic-version names a deprecated version that this service no longer accepts',
  },
  unsupported_media_type: {
    status: 415,
    spec: 'invalid_request_error',
    claude: 'invalid_request_error',
    message: 'content-type must be application/json',
  },
  invalid_body: {
    status: 400,
    spec: 'invalid_request_error',
    claude: 'invalid_request_error',
    message: 'Request body is not valid JSON',
  },
  request_too_large: {
    status: 413,
    spec: 'invalid_request_error',
    claude: 'request_too_large',
    message: 'Request body is too large',
  },
  access_denied: {
    status: 403,
    spec: 'access_denied',
    claude: 'permission_error',
    message: 'This API key does not have permission for this resource',
  },
  rate_limited: {
    status: 429,
    spec: 'rate_limit_exceeded',
    claude: 'rate_limit_error',
    message: 'Rate limit exceeded',
  },
  spend_limited: {
    status: 429,
    spec: 'rate_limit_exceeded',
    claude: 'rate_limit_error',
    message: 'Workspace spend limit reached for this month',
  },
  not_found: {
    status: 404,
    spec: 'not_found_error',
    claude: 'not_found_error',
    message: 'Not found',
  },
  store_unavailable: {
    status: 503,
    spec: 'api_error',
    claude: 'api_error',
    message: 'Authentication is temporarily unavailable',
  },
  internal: {
    status: 500,
    spec: 'api_error',
    claude: 'api_error',
    message: 'Internal server error',
  },
} as const satisfies Record<
  string,
  { status: number; spec: SpecErrorType; claude: ClaudeErrorType; message: string }
>;

/** A condition of the inbound pipeline: a key of {@link AUTH_CONDITIONS}. */
export type AuthCondition = keyof typeof AUTH_CONDITIONS;

/** HTTP status of each Claude API error type, for the outbound side and parsing. */
export const CLAUDE_TYPE_STATUS: Record<ClaudeErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};
