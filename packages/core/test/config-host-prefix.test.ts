import { describe, expect, it } from 'vitest';
import {
  CONFIG_ENV_VARS,
  ConfigurationError,
  loadConfig,
  type ClaudeAuthConfig,
} from '@claude-auth/core';

function errorOf(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('host and redisPrefix', () => {
  it('default to loopback and claude-auth:, and are read from HOST / CLAUDE_AUTH_REDIS_PREFIX', () => {
    const config = loadConfig({ env: {} });
    expect([config.host, config.redisPrefix]).toStrictEqual(['127.0.0.1', 'claude-auth:']);
    expect(CONFIG_ENV_VARS).toEqual(expect.arrayContaining(['HOST', 'CLAUDE_AUTH_REDIS_PREFIX']));
  });

  it.each<[string, Record<string, string>, (c: ClaudeAuthConfig) => unknown, unknown]>([
    ['HOST all interfaces', { HOST: '0.0.0.0' }, (c) => c.host, '0.0.0.0'],
    ['HOST IPv6 any', { HOST: '::' }, (c) => c.host, '::'],
    ['HOST IPv6 loopback', { HOST: '::1' }, (c) => c.host, '::1'],
    ['HOST name', { HOST: 'localhost' }, (c) => c.host, 'localhost'],
    [
      'HOST dotted name',
      { HOST: 'api.internal-1.example' },
      (c) => c.host,
      'api.internal-1.example',
    ],
    ['HOST trimmed', { HOST: ' 10.0.0.5 ' }, (c) => c.host, '10.0.0.5'],
    ['HOST empty is unset', { HOST: '' }, (c) => c.host, '127.0.0.1'],
    [
      'CLAUDE_AUTH_REDIS_PREFIX',
      { CLAUDE_AUTH_REDIS_PREFIX: 'tenant-a:' },
      (c) => c.redisPrefix,
      'tenant-a:',
    ],
    [
      'CLAUDE_AUTH_REDIS_PREFIX braces',
      { CLAUDE_AUTH_REDIS_PREFIX: '{ca}:' },
      (c) => c.redisPrefix,
      '{ca}:',
    ],
  ])('%s', (_name, env, pick, expected) => {
    expect(pick(loadConfig({ env }))).toStrictEqual(expected);
  });

  it.each<[Record<string, string>, string, string]>([
    [
      { HOST: 'http://0.0.0.0' },
      'HOST',
      'HOST must be an IP address or a host name, e.g. 127.0.0.1, 0.0.0.0 or :: (got "http://0.0.0.0")',
    ],
    [
      { HOST: '0.0.0.0:3000' },
      'HOST',
      'HOST must be an IP address or a host name, e.g. 127.0.0.1, 0.0.0.0 or :: (got "0.0.0.0:3000")',
    ],
    [
      { HOST: 'bad_host' },
      'HOST',
      'HOST must be an IP address or a host name, e.g. 127.0.0.1, 0.0.0.0 or :: (got "bad_host")',
    ],
    [
      { HOST: '-leading.dash' },
      'HOST',
      'HOST must be an IP address or a host name, e.g. 127.0.0.1, 0.0.0.0 or :: (got "-leading.dash")',
    ],
    [
      { CLAUDE_AUTH_REDIS_PREFIX: 'with space:' },
      'CLAUDE_AUTH_REDIS_PREFIX',
      'CLAUDE_AUTH_REDIS_PREFIX must be 1 to 64 printable ASCII characters without spaces, e.g. claude-auth: (got "with space:")',
    ],
    [
      { CLAUDE_AUTH_REDIS_PREFIX: 'x'.repeat(65) },
      'CLAUDE_AUTH_REDIS_PREFIX',
      `CLAUDE_AUTH_REDIS_PREFIX must be 1 to 64 printable ASCII characters without spaces, e.g. claude-auth: (got "${'x'.repeat(40)}…")`,
    ],
    [
      { CLAUDE_AUTH_REDIS_PREFIX: 'préfixe:' },
      'CLAUDE_AUTH_REDIS_PREFIX',
      'CLAUDE_AUTH_REDIS_PREFIX must be 1 to 64 printable ASCII characters without spaces, e.g. claude-auth: (got "préfixe:")',
    ],
  ])('rejects %j', (env, field, message) => {
    const error = errorOf(() => loadConfig({ env }));
    expect(error.field).toBe(field);
    expect(error.message).toBe(message);
  });

  it.each<[string, unknown, string]>([
    [
      'host',
      3000,
      'host must be an IP address or a host name, e.g. 127.0.0.1, 0.0.0.0 or :: (got 3000)',
    ],
    [
      'redisPrefix',
      '',
      'redisPrefix must be 1 to 64 printable ASCII characters without spaces, e.g. claude-auth: (got "")',
    ],
  ])('validates %s from a file or overrides', (field, value, message) => {
    const error = errorOf(() => loadConfig({ env: {}, overrides: { [field]: value } }));
    expect(error.field).toBe(field);
    expect(error.message).toBe(message);
  });

  it('environment overrides the file value and overrides win over both', () => {
    const config = loadConfig({
      env: { HOST: '0.0.0.0', CLAUDE_AUTH_REDIS_PREFIX: 'env:' },
      overrides: { redisPrefix: 'override:' },
    });
    expect([config.host, config.redisPrefix]).toStrictEqual(['0.0.0.0', 'override:']);
  });
});
