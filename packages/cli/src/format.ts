import type {
  ApiKeyView,
  RateLimitPolicy,
  WorkspaceRecord,
  WorkspaceUsage,
} from '@claude-auth/core';

/**
 * ISO 8601 for a date, or `fallback` when there is none.
 *
 * @example
 * ```ts
 * formatDate(new Date(0)); // '1970-01-01T00:00:00.000Z'
 * formatDate(null, 'never'); // 'never'
 * ```
 */
export function formatDate(date: Date | null | undefined, fallback = '-'): string {
  return date ? date.toISOString() : fallback;
}

/**
 * Left-aligned columns separated by two spaces, with an upper-case header row.
 *
 * @example
 * ```ts
 * formatTable(['id', 'name'], [['key_1', 'ci']]); // 'ID     NAME\nkey_1  ci\n'
 * ```
 */
export function formatTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  const all = [headers.map((h) => h.toUpperCase()), ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

/**
 * `label: value` lines with aligned values.
 *
 * @example
 * ```ts
 * formatDetails([['id', 'key_1'], ['name', 'ci']]); // 'id:    key_1\nname:  ci\n'
 * ```
 */
export function formatDetails(entries: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...entries.map(([label]) => label.length)) + 1;
  return (
    entries.map(([label, value]) => `${`${label}:`.padEnd(width)}  ${value}`).join('\n') + '\n'
  );
}

/**
 * A rate-limit policy as `60 rpm (burst 10)`, or `default`.
 *
 * @example
 * ```ts
 * formatRateLimit({ rpm: 60, burst: 10 }); // '60 rpm (burst 10)'
 * ```
 */
export function formatRateLimit(policy: RateLimitPolicy | null | undefined): string {
  if (!policy) return 'default';
  return policy.burst === undefined
    ? `${policy.rpm} rpm`
    : `${policy.rpm} rpm (burst ${policy.burst})`;
}

/**
 * US dollars with two decimals (more when smaller than a cent), or `none`.
 *
 * @example
 * ```ts
 * formatUsd(100); // '$100.00'
 * formatUsd(0.000123); // '$0.000123'
 * ```
 */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return 'none';
  if (usd !== 0 && Math.abs(usd) < 0.01) return `$${usd.toFixed(6).replace(/0+$/, '')}`;
  return `$${usd.toFixed(2)}`;
}

/**
 * The key table of `keys list`: id, name, hint, status, workspace, created, last used. Never a
 * secret: only the hint.
 *
 * @example
 * ```ts
 * stdout.write(formatKeyTable((await keys.listKeys()).data));
 * ```
 */
export function formatKeyTable(keys: readonly ApiKeyView[]): string {
  return formatTable(
    ['id', 'name', 'hint', 'status', 'workspace', 'created', 'last used'],
    keys.map((key) => [
      key.id,
      key.name,
      key.hint,
      key.status,
      key.workspaceId ?? '(organization)',
      formatDate(key.createdAt),
      formatDate(key.lastUsedAt, 'never'),
    ]),
  );
}

/**
 * Every field of one key (hint, never the secret), for `keys get` and the mutating commands.
 *
 * @example
 * ```ts
 * stdout.write(formatKeyDetails(await keys.getKey('key_123')));
 * ```
 */
export function formatKeyDetails(key: ApiKeyView): string {
  return formatDetails([
    ['id', key.id],
    ['name', key.name],
    ['hint', key.hint],
    ['status', key.status],
    ['kind', key.kind],
    ['environment', key.environment],
    ['workspace', key.workspaceId ?? '(organization)'],
    ['permissions', key.permissions.length > 0 ? key.permissions.join(',') : '(none)'],
    ['rate limit', formatRateLimit(key.rateLimit)],
    ['created', formatDate(key.createdAt)],
    ['created by', key.createdBy ?? '-'],
    ['last used', formatDate(key.lastUsedAt, 'never')],
    ['expires', formatDate(key.expiresAt, 'never')],
  ]);
}

/**
 * The workspace table of `workspaces list`.
 *
 * @example
 * ```ts
 * stdout.write(formatWorkspaceTable((await keys.listWorkspaces()).data));
 * ```
 */
export function formatWorkspaceTable(workspaces: readonly WorkspaceRecord[]): string {
  return formatTable(
    ['id', 'name', 'status', 'monthly limit', 'rate limit', 'created'],
    workspaces.map((ws) => [
      ws.id,
      ws.name,
      ws.status,
      formatUsd(microsOrNull(ws.monthlySpendLimitMicros)),
      formatRateLimit(ws.rateLimit),
      formatDate(ws.createdAt),
    ]),
  );
}

/**
 * Every field of one workspace.
 *
 * @example
 * ```ts
 * stdout.write(formatWorkspaceDetails(await keys.getWorkspace('wrkspc_123')));
 * ```
 */
export function formatWorkspaceDetails(ws: WorkspaceRecord): string {
  return formatDetails([
    ['id', ws.id],
    ['name', ws.name],
    ['status', ws.status],
    ['monthly limit', formatUsd(microsOrNull(ws.monthlySpendLimitMicros))],
    ['rate limit', formatRateLimit(ws.rateLimit)],
    ['created', formatDate(ws.createdAt)],
    ['archived', formatDate(ws.archivedAt)],
  ]);
}

/**
 * A workspace's spend this month against its limit, and its requests this month.
 *
 * @example
 * ```ts
 * stdout.write(formatUsage(await keys.getWorkspaceUsage('wrkspc_123')));
 * // workspace:  wrkspc_123
 * // period:     2025-03
 * // spent:      $2.50
 * // limit:      $10.00
 * // remaining:  $7.50
 * // requests:   1,204
 * ```
 */
export function formatUsage(usage: WorkspaceUsage): string {
  const remaining = usage.limitUsd === null ? null : Math.max(0, usage.limitUsd - usage.spentUsd);
  return formatDetails([
    ['workspace', usage.workspaceId],
    ['period', usage.period],
    ['spent', formatUsd(usage.spentUsd)],
    ['limit', formatUsd(usage.limitUsd)],
    ['remaining', remaining === null ? 'unlimited' : formatUsd(remaining)],
    ['requests', formatCount(usage.requests)],
  ]);
}

const COUNT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * A count with thousands separators, the same in every locale.
 *
 * @example
 * ```ts
 * formatCount(1204); // '1,204'
 * ```
 */
export function formatCount(count: number): string {
  return COUNT_FORMAT.format(count);
}

/**
 * Pretty JSON with a trailing newline; dates become ISO strings.
 *
 * @example
 * ```ts
 * stdout.write(formatJson({ data: keys }));
 * ```
 */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function microsOrNull(micros: number | null): number | null {
  return micros === null ? null : micros / 1_000_000;
}
