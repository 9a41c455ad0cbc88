/** Prices per million tokens, per model, and the cost of one call's usage. */
import type { Logger } from '../auth/types.js';
import type { MessageUsage } from './message-usage.js';

/** US dollars per million tokens of each kind, for one model. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Writing the prompt cache (`cache_creation_input_tokens`). */
  cacheWrite: number;
  /** Reading the prompt cache (`cache_read_input_tokens`). */
  cacheRead: number;
}

/**
 * Prices by model. A model id matches its own entry, else the longest entry it starts with
 * (`claude-sonnet-4-5-20250929` matches `claude-sonnet-4-5`), else `default`.
 */
export interface PriceTable {
  models: Readonly<Record<string, ModelPrice>>;
  /** Used (with one warning per model) for a model the table does not know. */
  default: ModelPrice;
}

/**
 * Published list prices (USD per million tokens) of current Claude models; unknown models fall
 * back to the Sonnet price. Override it from the shared configuration (`prices`).
 *
 * @example
 * ```ts
 * DEFAULT_PRICE_TABLE.models['claude-opus-4-1']?.output; // 75
 * ```
 */
export const DEFAULT_PRICE_TABLE: PriceTable = {
  models: {
    'claude-opus-4-6': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
    'claude-opus-4-5': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
    'claude-opus-4-1': { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 },
    'claude-opus-4': { input: 15, output: 75, cacheWrite: 18.75, cacheRead: 1.5 },
    'claude-sonnet-4-6': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
    'claude-sonnet-4-5': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
    'claude-sonnet-4': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
    'claude-3-7-sonnet': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
    'claude-haiku-4-5': { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
    'claude-3-5-haiku': { input: 0.8, output: 4, cacheWrite: 1, cacheRead: 0.08 },
  },
  default: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
};

/** The price of `model` in `table`, and whether the table knew it. */
export function findModelPrice(
  table: PriceTable,
  model: string,
): { price: ModelPrice; known: boolean } {
  const exact = table.models[model];
  if (exact !== undefined) return { price: exact, known: true };
  let best: string | undefined;
  for (const name in table.models) {
    if (model.startsWith(name) && (best === undefined || name.length > best.length)) best = name;
  }
  return best === undefined
    ? { price: table.default, known: false }
    : { price: table.models[best]!, known: true };
}

/**
 * Prices usage with a table, warning once per unknown model (the default price applies).
 *
 * @example
 * ```ts
 * const pricer = createPricer(DEFAULT_PRICE_TABLE, console);
 * pricer.cost('claude-sonnet-4-5', { input_tokens: 1_000_000, output_tokens: 0 }); // 3
 * ```
 */
export function createPricer(
  table: PriceTable,
  logger?: Pick<Logger, 'warn'>,
): { cost(model: string, usage: MessageUsage): number } {
  const warned = new Set<string>();
  return {
    cost(model, usage) {
      const { price, known } = findModelPrice(table, model);
      if (!known && !warned.has(model) && warned.size < 1000) {
        warned.add(model);
        logger?.warn('claude-auth: no price for this model; the default price applies', {
          model: model.slice(0, 100),
        });
      }
      return costOf(price, usage);
    },
  };
}

/**
 * The cost in US dollars of `usage` at `price`.
 *
 * @example
 * ```ts
 * costOf({ input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 }, { input_tokens: 1e6, output_tokens: 1e6 }); // 18
 * ```
 */
export function costOf(price: ModelPrice, usage: MessageUsage): number {
  return (
    (usage.input_tokens * price.input +
      usage.output_tokens * price.output +
      (usage.cache_creation_input_tokens ?? 0) * price.cacheWrite +
      (usage.cache_read_input_tokens ?? 0) * price.cacheRead) /
    1_000_000
  );
}
