/** `CLAUDE_AUTH_PRICES`: the price table as one environment variable, in `CLAUDE_AUTH_API_VERSIONS` form. */
import type { PriceTableInput } from '../proxy/price-table-config.js';
import type { ModelPrice } from '../proxy/price-table.js';
import { invalid, type ValueSource } from './config-problem.js';

const ENTRY = /^([^=\s,;]+)=([^;]*)((?:;[A-Za-z]+=[^;]*)*)$/;
const PAIR = /^([^/]*)\/([^/]*)$/;
const NAMES = new Set(['cacheWrite', 'cacheRead']);

/** The expected form, named in the error for a malformed entry. */
export const PRICES_ENV_EXPECTED =
  'comma-separated <model>=<input>/<output> entries (US dollars per million tokens), each ' +
  'optionally followed by ;cacheWrite=<n> and ;cacheRead=<n>; <model>=off removes a model and ' +
  '*=<input>/<output> sets the default, e.g. my-model=2/10;cacheRead=0.2,claude-opus-4=off';

/** A number as written, else the text itself (so the price check names the field). */
const amount = (text: string): number | string => {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
};

/**
 * Parses `CLAUDE_AUTH_PRICES` into the `prices` input the options schema checks, e.g.
 * `my-model=2/10;cacheRead=0.2,claude-opus-4=off,*=3/15` adds `my-model`, removes
 * `claude-opus-4` and sets the default. Throws a `ConfigurationError` for a malformed entry.
 *
 * @example
 * ```ts
 * parsePricesEnv('my-model=2/10', { field: 'CLAUDE_AUTH_PRICES' });
 * // { models: { 'my-model': { input: 2, output: 10 } } }
 * ```
 */
export function parsePricesEnv(text: string, where: ValueSource): PriceTableInput {
  const models: Record<string, Partial<ModelPrice> | null> = {};
  let fallback: Partial<ModelPrice> | undefined;
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    const match = ENTRY.exec(entry);
    const model = match?.[1];
    const value = match?.[2]?.trim();
    if (model === undefined || value === undefined) {
      return invalid({ field: where.field }, PRICES_ENV_EXPECTED, entry);
    }
    if (value.toLowerCase() === 'off' && match![3] === '' && model !== '*') {
      models[model] = null;
      continue;
    }
    const pair = PAIR.exec(value);
    if (pair === null) return invalid({ field: where.field }, PRICES_ENV_EXPECTED, entry);
    const price: Record<string, number | string> = {
      input: amount(pair[1]!),
      output: amount(pair[2]!),
    };
    for (const attribute of match![3]!.split(';').slice(1)) {
      const [name, number] = attribute.split('=') as [string, string];
      if (!NAMES.has(name)) return invalid({ field: where.field }, PRICES_ENV_EXPECTED, entry);
      price[name] = amount(number);
    }
    if (model === '*') fallback = price;
    else models[model] = price;
  }
  return fallback === undefined ? { models } : { models, default: fallback };
}
