/** The static model list the demos serve on `GET /v1/models`. */

/** One entry of `GET /v1/models`, in the Claude API's shape. */
export interface ModelInfo {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
}

/** The body of `GET /v1/models`. */
export interface ModelList {
  data: ModelInfo[];
  has_more: false;
  first_id: string | null;
  last_id: string | null;
}

/**
 * The models the demos (and the gateway's offline mock) pretend to serve: current ids, none that
 * the official SDKs (1.14.0, 0.137.0) warn is deprecated (`claude-sonnet-4-5` reaches end of life
 * on 2026-11-30).
 *
 * @example
 * ```ts
 * MODELS.map((m) => m.id); // ['claude-sonnet-4-6', 'claude-opus-4-6', 'claude-haiku-4-5']
 * ```
 */
export const MODELS: readonly ModelInfo[] = [
  {
    type: 'model',
    id: 'claude-sonnet-4-6',
    display_name: 'Claude Sonnet 4.6',
    created_at: '2026-02-17T00:00:00Z',
  },
  {
    type: 'model',
    id: 'claude-opus-4-6',
    display_name: 'Claude Opus 4.6',
    created_at: '2026-02-05T00:00:00Z',
  },
  {
    type: 'model',
    id: 'claude-haiku-4-5',
    display_name: 'Claude Haiku 4.5',
    created_at: '2025-10-15T00:00:00Z',
  },
];

/**
 * The body of `GET /v1/models`: `{ data, has_more, first_id, last_id }`.
 *
 * @example
 * ```ts
 * res.json(listModels());
 * ```
 */
export function listModels(): ModelList {
  return {
    data: [...MODELS],
    has_more: false,
    first_id: MODELS[0]?.id ?? null,
    last_id: MODELS.at(-1)?.id ?? null,
  };
}
