/**
 * The few shapes the bench uses from peer libraries that ship no types (and have no @types
 * package in this workspace). Deliberately minimal: only what the peer rows call.
 */

declare module 'koa-ratelimit' {
  import type { Context, Middleware } from 'koa';

  interface RateLimitOptions {
    driver: 'memory' | 'redis';
    db: Map<unknown, unknown> | object;
    duration?: number;
    max?: number;
    id?: (ctx: Context) => string | false;
    headers?: { remaining?: string; reset?: string; total?: string };
  }

  export default function ratelimit(options: RateLimitOptions): Middleware;
}

declare module 'passport' {
  import type { RequestHandler } from 'express';

  interface Passport {
    use(strategy: object): Passport;
    initialize(): RequestHandler;
    authenticate(strategy: string, options?: { session?: boolean }): RequestHandler;
  }

  const passport: Passport;
  export default passport;
}
