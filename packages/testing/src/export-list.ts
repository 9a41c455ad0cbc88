/** What a runtime export is, as a snapshot shows it. */
export type ExportKind =
  'class' | 'function' | 'regexp' | 'array' | 'object' | 'string' | 'number' | 'boolean';

function kindOf(value: unknown): ExportKind {
  if (typeof value === 'function') {
    return /^class\b/.test(Function.prototype.toString.call(value)) ? 'class' : 'function';
  }
  if (value instanceof RegExp) return 'regexp';
  if (Array.isArray(value)) return 'array';
  return typeof value as ExportKind;
}

/**
 * A package entry's runtime exports as sorted `name: kind` lines, for an export snapshot test:
 * adding, removing or changing the kind of a public name then shows in review. Types have no
 * runtime trace; `tsc` and attw check them.
 *
 * @example
 * ```ts
 * import * as api from '@claude-auth/express';
 * expect(exportList(api)).toMatchInlineSnapshot();
 * ```
 */
export function exportList(module: Record<string, unknown>): string[] {
  return Object.keys(module)
    .sort()
    .map((name) => `${name}: ${kindOf(module[name])}`);
}
