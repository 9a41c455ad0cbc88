/** @internal Where the configuration options and error codes are documented (`docs/configuration.md`). */
export const CONFIG_DOCS =
  'https://github.com/claude-auth/claude-auth/blob/main/docs/configuration.md';

/**
 * Every `ConfigurationError` code that a configuration mistake can produce, from
 * `createAuthenticator(options)` or `loadConfig()` (file and environment), each with the anchor of
 * its entry in core's README.
 *
 * @example
 * ```ts
 * try { loadConfig({ env: { CLAUDE_AUTH_VERSION_POLICY: 'nope' } }) } catch (error) {
 *   CONFIG_ERROR_CODES.CLAUDE_AUTH_INVALID_CONFIG.docs; // '…/docs/configuration.md#config-invalid-config'
 * }
 * ```
 */
export const CONFIG_ERROR_CODES = {
  CLAUDE_AUTH_INVALID_OPTION: {
    summary:
      'an option of createAuthenticator (or another constructor) has the wrong type or value',
    docs: `${CONFIG_DOCS}#config-invalid-option`,
  },
  CLAUDE_AUTH_INVALID_CONFIG: {
    summary: 'a loadConfig field (file, environment variable or overrides) has the wrong form',
    docs: `${CONFIG_DOCS}#config-invalid-config`,
  },
  CLAUDE_AUTH_UNKNOWN_CONFIG_KEY: {
    summary:
      'the configuration (or a section of the options) has a field this version does not know',
    docs: `${CONFIG_DOCS}#config-unknown-config-key`,
  },
  CLAUDE_AUTH_CONFIG_FILE_UNREADABLE: {
    summary: 'the file named by CLAUDE_AUTH_CONFIG cannot be read',
    docs: `${CONFIG_DOCS}#config-file-unreadable`,
  },
  CLAUDE_AUTH_CONFIG_FILE_INVALID: {
    summary: 'the file named by CLAUDE_AUTH_CONFIG is not a JSON object',
    docs: `${CONFIG_DOCS}#config-file-invalid`,
  },
  CLAUDE_AUTH_INVALID_RATE_LIMIT: {
    summary: 'a rate-limit rule given to a limiter is not a positive rule',
    docs: `${CONFIG_DOCS}#config-invalid-rate-limit`,
  },
} as const;

/** A configuration error code. */
export type ConfigErrorCode = keyof typeof CONFIG_ERROR_CODES;
