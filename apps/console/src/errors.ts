import { ApiError, GatewayUnreachableError } from './api.js';

/** A sentence for an error, for a banner. */
export function describeError(error: unknown): string {
  if (error instanceof GatewayUnreachableError) return `Gateway unreachable. ${error.message}`;
  if (error instanceof ApiError) {
    if (error.status === 401)
      return 'The gateway refused the admin key (401). Paste a valid admin key.';
    if (error.status === 403)
      return `This key may not use the admin API (403 ${error.type}): ${error.message}`;
    const id = error.requestId ? ` (request ${error.requestId})` : '';
    return `${error.message}${id}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Field errors from an API error: the one field its message names, else a form-level error. */
export function fieldErrors(
  error: unknown,
  fields: Record<string, string>,
): { fields: Record<string, string>; form: string | null } {
  if (error instanceof ApiError && error.status === 400) {
    const field = error.field(Object.keys(fields));
    if (field) return { fields: { [fields[field] ?? field]: error.message }, form: null };
  }
  return { fields: {}, form: describeError(error) };
}
