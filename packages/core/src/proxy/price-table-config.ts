/** Validating the configuration's `prices` section into a {@link PriceTable}. */
import { invalid, type ValueSource } from '../config/config-problem.js';
import type { ModelPrice, PriceTable } from './price-table.js';

/** The `prices` section of a configuration file: models to add, change or remove, and the default. */
export interface PriceTableInput {
  /** Per model: a price (`cacheWrite` defaults to 1.25× input, `cacheRead` to 0.1× input), or `null` to remove one. */
  models?: Record<string, Partial<ModelPrice> | null>;
  /** The price of a model the table does not know. */
  default?: Partial<ModelPrice>;
}

function fail(field: string, where: ValueSource, expected: string): never {
  return invalid({ ...where, field }, expected);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkPrice(value: unknown, field: string, origin: ValueSource): ModelPrice {
  if (!isRecord(value)) fail(field, origin, 'an object { input, output, cacheWrite?, cacheRead? }');
  for (const name of Object.keys(value)) {
    if (!['input', 'output', 'cacheWrite', 'cacheRead'].includes(name)) {
      fail(`${field}.${name}`, origin, 'absent (allowed: input, output, cacheWrite, cacheRead)');
    }
  }
  const number = (name: string, fallback?: number): number => {
    const v = value[name] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1_000_000) {
      fail(`${field}.${name}`, origin, 'a number of US dollars per million tokens, 0 to 1000000');
    }
    return v;
  };
  const input = number('input');
  return {
    input,
    output: number('output'),
    cacheWrite: number('cacheWrite', input * 1.25),
    cacheRead: number('cacheRead', input * 0.1),
  };
}

/**
 * Applies the configuration's `prices` section onto `base`: `models` entries are added or
 * replaced (`null` removes one), `default` replaces the default price. Throws a
 * `ConfigurationError` naming the field for anything else.
 *
 * @example
 * ```ts
 * checkPriceTable({ models: { 'my-model': { input: 1, output: 2 } } }, DEFAULT_PRICE_TABLE, { field: 'prices', origin: ' in claude-auth.json' });
 * ```
 */
export function checkPriceTable(
  value: unknown,
  base: PriceTable,
  where: ValueSource = { field: 'prices' },
): PriceTable {
  const origin = where;
  const at = (name: string): string => `${where.field}.${name}`;
  if (!isRecord(value)) fail(where.field, origin, 'an object { models?, default? }');
  for (const name of Object.keys(value)) {
    if (name !== 'models' && name !== 'default') {
      fail(at(name), origin, 'absent (allowed: models, default)');
    }
  }
  const models: Record<string, ModelPrice> = { ...base.models };
  if (value.models !== undefined) {
    if (!isRecord(value.models)) fail(at('models'), origin, 'an object keyed by model id');
    for (const [model, price] of Object.entries(value.models)) {
      if (model.length === 0 || model.length > 255) {
        fail(at('models'), origin, 'keyed by model ids of 1 to 255 characters');
      }
      if (price === null) delete models[model];
      else models[model] = checkPrice(price, at(`models.${model}`), origin);
    }
  }
  return {
    models,
    default:
      value.default === undefined ? base.default : checkPrice(value.default, at('default'), origin),
  };
}
