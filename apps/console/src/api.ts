/**
 * The console's only way out: the gateway's admin API (`/v1/organizations/*`) on the same origin,
 * with the admin key in `x-api-key`. Every failure becomes an {@link ApiError} (the gateway
 * answered with an error) or a {@link GatewayUnreachableError} (no answer at all).
 */

/** The `anthropic-version` the console sends. */
export const API_VERSION = '2023-06-01';

/** An API key as the admin API shows it (Claude Admin API shape plus the gateway's extra fields). */
export interface ApiKey {
  id: string;
  type: 'api_key';
  name: string;
  partial_key_hint: string | null;
  status: 'active' | 'inactive' | 'expired' | 'archived';
  created_at: string;
  expires_at: string | null;
  last_used_at?: string | null;
  workspace_id?: string | null;
  scope?: { type: 'organization' } | { type: 'workspace'; workspace_id: string };
  permissions?: string[];
  /** `admin` keys may use the admin API; `api` keys call Claude. */
  kind?: 'api' | 'admin';
}

/** A workspace with the gateway's spend fields. */
export interface Workspace {
  id: string;
  type: 'workspace';
  name: string;
  created_at: string;
  archived_at: string | null;
  /** The monthly (UTC calendar month) spend limit, `null` for none. */
  spend_limit_usd: number | null;
  /** This UTC month's spend, from the counter the spend limit is enforced on. */
  spend?: { period: string; spent_usd: number; limit_usd: number | null };
}

/** A cursor page of the Admin API. */
export interface Page<T> {
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/** One row of the usage report. */
export interface UsageRow {
  starting_at: string;
  ending_at: string;
  group: { api_key_id?: string | null; workspace_id?: string | null; model?: string | null };
  usage: {
    uncached_input_tokens: number;
    cache_read_input_tokens: number;
    output_tokens: number;
    total_tokens: number;
    requests: number | null;
    cache_creation?: { ephemeral_1h_input_tokens?: number; ephemeral_5m_input_tokens?: number };
  };
}

/** One row of the cost report (`amount` in fractional cents, a decimal string). */
export interface CostRow {
  starting_at: string;
  ending_at: string;
  group: { api_key_id?: string | null; workspace_id?: string | null; model?: string | null };
  cost: { amount: string; currency: string; requests: number | null };
}

/** A page of a usage or cost report. */
export interface ReportPage<T> {
  data: T[];
  has_more: boolean;
  next_page: string | null;
}

/** The gateway answered with an error in the contract's shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The request field the message names (`name must be ...`), for showing it beside that field. */
  field(fields: readonly string[]): string | undefined {
    const message = this.message;
    return fields.find((field) =>
      new RegExp(`(^|[\\s'"\`(])${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(message),
    );
  }
}

/** No HTTP answer: the gateway is down or the network is. */
export class GatewayUnreachableError extends Error {
  constructor() {
    super('The gateway did not answer. Is it running, and is this page served by it?');
    this.name = 'GatewayUnreachableError';
  }
}

type Query = Record<string, string | number | boolean | readonly string[] | null | undefined>;

/** `group_by[]=a&group_by[]=b` as the Claude SDK sends arrays. */
export function toQuery(query: Query): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const item of value) params.append(`${name}[]`, String(item));
    else params.append(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * A typed client of the gateway's admin API.
 *
 * @example
 * ```ts
 * const api = new AdminApi(adminKey);
 * const { data } = await api.listKeys({ status: 'active' });
 * ```
 */
export class AdminApi {
  readonly #key: string;
  readonly #base: string;

  constructor(adminKey: string, base = '') {
    this.#key = adminKey;
    this.#base = base;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      'x-api-key': this.#key,
      'anthropic-version': API_VERSION,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, {
        method,
        headers,
        cache: 'no-store',
        credentials: 'omit',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new GatewayUnreachableError();
    }
    const text = await response.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const error = (json as { error?: { type?: string; message?: string } } | undefined)?.error;
      if (!error && response.status >= 502) throw new GatewayUnreachableError();
      throw new ApiError(
        response.status,
        error?.type ?? 'api_error',
        error?.message ?? `The gateway answered ${response.status}`,
        response.headers.get('request-id'),
      );
    }
    return json as T;
  }

  /** Every page of a cursor-paginated list. */
  async listAll<T extends { id: string }>(path: string, query: Query = {}): Promise<T[]> {
    const all: T[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page: Page<T> = await this.request<Page<T>>(
        'GET',
        `${path}${toQuery({ ...query, limit: 100, after_id: after })}`,
      );
      all.push(...page.data);
      if (!page.has_more || page.last_id === null) break;
      after = page.last_id;
    }
    return all;
  }

  /** Every row of a usage or cost report (follows `next_page`). */
  async report<T>(kind: 'usage' | 'cost', query: Query): Promise<T[]> {
    const rows: T[] = [];
    let page: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const result: ReportPage<T> = await this.request<ReportPage<T>>(
        'GET',
        `/v1/organizations/analytics/${kind}${toQuery({ ...query, limit: 1000, page })}`,
      );
      rows.push(...result.data);
      if (!result.has_more || !result.next_page) break;
      page = result.next_page;
    }
    return rows;
  }

  listKeys(filter: { status?: string; workspace_id?: string } = {}): Promise<ApiKey[]> {
    return this.listAll<ApiKey>('/v1/organizations/api_keys', filter);
  }

  getKey(id: string): Promise<ApiKey> {
    return this.request('GET', `/v1/organizations/api_keys/${encodeURIComponent(id)}`);
  }

  createKey(input: {
    name: string;
    workspace_id: string | null;
    permissions?: string[];
    expires_at?: string | null;
  }): Promise<unknown> {
    return this.request('POST', '/v1/organizations/api_keys', input);
  }

  updateKey(id: string, patch: { name?: string; status?: 'active' | 'inactive' }): Promise<ApiKey> {
    return this.request('POST', `/v1/organizations/api_keys/${encodeURIComponent(id)}`, patch);
  }

  regenerateKey(id: string, graceSeconds: number): Promise<unknown> {
    return this.request(
      'POST',
      `/v1/organizations/api_keys/${encodeURIComponent(id)}/regenerate`,
      graceSeconds > 0 ? { grace_period_seconds: graceSeconds } : {},
    );
  }

  deleteKey(id: string): Promise<unknown> {
    return this.request('DELETE', `/v1/organizations/api_keys/${encodeURIComponent(id)}`);
  }

  listWorkspaces(includeArchived: boolean): Promise<Workspace[]> {
    return this.listAll<Workspace>('/v1/organizations/workspaces', {
      include_archived: includeArchived,
    });
  }

  getWorkspace(id: string): Promise<Workspace> {
    return this.request('GET', `/v1/organizations/workspaces/${encodeURIComponent(id)}`);
  }

  createWorkspace(input: Record<string, unknown>): Promise<Workspace> {
    return this.request('POST', '/v1/organizations/workspaces', input);
  }

  updateWorkspace(id: string, patch: Record<string, unknown>): Promise<Workspace> {
    return this.request('POST', `/v1/organizations/workspaces/${encodeURIComponent(id)}`, patch);
  }

  archiveWorkspace(id: string): Promise<Workspace> {
    return this.request(
      'POST',
      `/v1/organizations/workspaces/${encodeURIComponent(id)}/archive`,
      undefined,
    );
  }
}
