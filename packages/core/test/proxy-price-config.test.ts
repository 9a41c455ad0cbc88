import { describe, expect, it } from 'vitest';
import { ConfigurationError, DEFAULT_PRICE_TABLE, loadConfig } from '@claude-auth/core';

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
