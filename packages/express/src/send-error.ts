import type { Authenticator, AuthResult, ErrorResponse } from '@claude-auth/core';
import type { Request, Response } from 'express';
import { setClaudeAuth } from './request-state.js';

/**
 * Writes a contract error response exactly as the core built it: status, headers (including
 * `content-type: application/json` and `request-id`) and the JSON body, without Express's
 * `x-powered-by` banner. Node's own `setHeader` keeps Express from appending a charset.
 */
export function sendError(
  res: Response,
  response: ErrorResponse,
  extra: Record<string, string> = {},
): void {
  res.statusCode = response.status;
  res.removeHeader('x-powered-by');
  const headers = response.headers;
  // `{ ...extra, ...headers }` (same order, the response's own values win) without the copy.
  for (const name in extra)
    res.setHeader(name, Object.hasOwn(headers, name) ? headers[name]! : extra[name]!);
  for (const name in headers) if (!Object.hasOwn(extra, name)) res.setHeader(name, headers[name]!);
  res.end(JSON.stringify(response.body));
}

/**
 * Applies one `AuthResult`: on success sets its headers, attaches `req.claudeAuth` and returns
 * true; on failure writes the contract error and returns false.
 */
export function applyAuthResult(
  req: Request,
  res: Response,
  authenticator: Authenticator,
  result: AuthResult,
): boolean {
  if (!result.ok) {
    sendError(
      res,
      authenticator.errorResponse(result.error, result.headers['request-id']),
      result.headers,
    );
    return false;
  }
  const headers = result.headers;
  for (const name in headers) res.setHeader(name, headers[name]!);
  setClaudeAuth(req, result.auth);
  return true;
}
