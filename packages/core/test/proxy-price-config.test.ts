import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  DEFAULT_PRICE_TABLE,
  loadConfig,
  type PriceTable,
} from '@claude-auth/core';

/** The models both forms of the same price change give: one added, one replaced, one removed. */
function expectChangedModels(prices: PriceTable): void {
  expect(prices.models['my-model']).toEqual({
    input: 2,
    output: 10,
    cacheWrite: 2.5,
    cacheRead: 0.2,
  });
  expect(prices.models['claude-haiku-4-5']).toEqual({
    input: 1,
    output: 4,
    cacheWrite: 0,
    cacheRead: 0,
  });
  expect(prices.models['claude-opus-4']).toBeUndefined();
  expect(prices.models['claude-sonnet-4-5']).toEqual(
    DEFAULT_PRICE_TABLE.models['claude-sonnet-4-5'],
  );
}

describe('prices in the shared configuration', () => {
  it('defaults to the built-in table', () => {
    expect(loadConfig({ env: {} }).prices).toStrictEqual(DEFAULT_PRICE_TABLE);
  });

  it('adds, replaces and removes models and replaces the default', () => {
    const { prices } = loadConfig({
      env: {},
      overrides: {
        prices: {
          models: {
            'my-model': { input: 2, output: 10 },
            'claude-haiku-4-5': { input: 1, output: 4, cacheWrite: 0, cacheRead: 0 },
            'claude-opus-4': null,
          },
          default: { input: 9, output: 9, cacheWrite: 9, cacheRead: 9 },
        },
      },
    });
    expectChangedModels(prices);
    expect(prices.default.input).toBe(9);
    expect(DEFAULT_PRICE_TABLE.models['claude-opus-4']).toBeDefined();
  });

  it.each([
    [[], /^prices must be an object/],
    [{ model: {} }, /^prices\.model must be absent/],
    [{ models: { m: { input: -1, output: 1 } } }, /^prices\.models\.m\.input must be a number/],
    [{ models: { m: { input: 1 } } }, /^prices\.models\.m\.output must be a number/],
    [
      { models: { m: { input: 1, output: 1, cache: 1 } } },
      /^prices\.models\.m\.cache must be absent/,
    ],
    [{ default: 'cheap' }, /^prices\.default must be an object/],
  ])('rejects %j with a ConfigurationError naming the field', (prices, message) => {
    const load = () => loadConfig({ env: {}, overrides: { prices: prices as never } });
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(message);
  });
});

describe('CLAUDE_AUTH_PRICES', () => {
  it('adds, replaces and removes models and sets the default, in CLAUDE_AUTH_API_VERSIONS form', () => {
    const { prices } = loadConfig({
      env: {
        CLAUDE_AUTH_PRICES:
          'my-model=2/10, claude-haiku-4-5=1/4;cacheWrite=0;cacheRead=0,claude-opus-4=off,*=9/9;cacheWrite=9;cacheRead=9',
      },
    });
    expectChangedModels(prices);
    expect(prices.default).toEqual({ input: 9, output: 9, cacheWrite: 9, cacheRead: 9 });
  });

  it('applies over the file, and overrides over it, like every other variable', () => {
    const { prices } = loadConfig({
      env: { CLAUDE_AUTH_PRICES: 'a=1/1,b=2/2' },
      overrides: { prices: { models: { b: { input: 3, output: 3 } } } },
    });
    expect([prices.models.a?.input, prices.models.b?.input]).toStrictEqual([1, 3]);
  });

  it.each([
    [
      'x',
      'CLAUDE_AUTH_PRICES must be comma-separated <model>=<input>/<output> entries',
      'CLAUDE_AUTH_PRICES',
    ],
    ['m=1', 'CLAUDE_AUTH_PRICES must be comma-separated', 'CLAUDE_AUTH_PRICES'],
    ['m=1/2;cache=3', 'CLAUDE_AUTH_PRICES must be comma-separated', 'CLAUDE_AUTH_PRICES'],
    [
      'm=one/2',
      'CLAUDE_AUTH_PRICES.models.m.input must be a number of US dollars per million tokens, 0 to 1000000',
      'CLAUDE_AUTH_PRICES.models.m.input',
    ],
    [
      'm=1/-2',
      'CLAUDE_AUTH_PRICES.models.m.output must be a number of US dollars per million tokens, 0 to 1000000',
      'CLAUDE_AUTH_PRICES.models.m.output',
    ],
    [
      '*=1/2;cacheRead=x',
      'CLAUDE_AUTH_PRICES.default.cacheRead must be a number',
      'CLAUDE_AUTH_PRICES.default.cacheRead',
    ],
  ])('rejects %j, naming the field', (text, message, field) => {
    let thrown: unknown;
    try {
      loadConfig({ env: { CLAUDE_AUTH_PRICES: text } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as ConfigurationError).message.startsWith(message)).toBe(true);
    expect((thrown as ConfigurationError).field).toBe(field);
    expect((thrown as ConfigurationError).code).toBe('CLAUDE_AUTH_INVALID_CONFIG');
  });
});
