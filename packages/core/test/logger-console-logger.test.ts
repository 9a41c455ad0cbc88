import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  createConsoleLogger,
  type LogLevel,
  type LogSink,
} from '@claude-auth/core';
import { LOG_LEVELS } from '../src/config/claude-auth-config.js';

type Line = [level: string, message: string, meta?: Record<string, unknown>];

function recordingSink(): { sink: LogSink; lines: Line[] } {
  const lines: Line[] = [];
  const write =
    (level: string) =>
    (...args: unknown[]): void => {
      lines.push([level, ...(args as [string, Record<string, unknown>?])]);
    };
  return {
    sink: {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
    },
    lines,
  };
}

describe('createConsoleLogger', () => {
  it('has silent among the levels', () => {
    expect(LOG_LEVELS).toContain('silent');
  });

  it.each<[LogLevel, string[]]>([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['silent', []],
  ])('at %s writes %j and drops the rest', (level, written) => {
    const { sink, lines } = recordingSink();
    const logger = createConsoleLogger(level, sink);
    logger.debug?.('d');
    logger.info?.('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map(([l]) => l)).toEqual(written);
  });

  it('passes meta as a second argument and only when given', () => {
    const { sink, lines } = recordingSink();
    const logger = createConsoleLogger('info', sink);
    logger.warn('Redis connection error; reconnecting in the background', { code: 'ECONNREFUSED' });
    logger.info?.('Redis connection restored');
    expect(lines).toEqual([
      ['warn', 'Redis connection error; reconnecting in the background', { code: 'ECONNREFUSED' }],
      ['info', 'Redis connection restored'],
    ]);
  });

  it('rejects an unknown level with a ConfigurationError', () => {
    expect(() => createConsoleLogger('verbose' as LogLevel)).toThrow(ConfigurationError);
  });
});
