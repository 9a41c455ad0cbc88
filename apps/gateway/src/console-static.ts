/** The console (apps/console, a static single-page app) served at `/console` under a strict CSP. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';

/**
 * The console's Content-Security-Policy: everything from this origin only, no inline script or
 * style, no eval, no framing. The console's bundle needs nothing more: Vite emits script and CSS
 * files, React and Chart.js set styles through the CSSOM (which `style-src` does not govern).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Options of {@link consoleStatic}. */
export interface ConsoleStaticOptions {
  /**
   * The built console (`index.html`, `assets/`). Default `CLAUDE_AUTH_CONSOLE_DIR`, else the
   * `dist` folder of the `@claude-auth/console` package.
   */
  dir?: string;
}

const NOT_BUILT =
  'The console has not been built. Run `pnpm --filter @claude-auth/console build` ' +
  '(`pnpm start` builds it too), then reload this page.\n';

/** Where the built console is, or `undefined` when the package cannot be found. */
export function resolveConsoleDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CLAUDE_AUTH_CONSOLE_DIR) return path.resolve(env.CLAUDE_AUTH_CONSOLE_DIR);
  try {
    const manifest = createRequire(import.meta.url).resolve('@claude-auth/console/package.json');
    return path.join(path.dirname(manifest), 'dist');
  } catch {
    return undefined;
  }
}

function securityHeaders(res: Response): void {
  res.setHeader('content-security-policy', CONSOLE_CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
}

function text(res: Response, status: number, body: string): void {
  res.status(status).setHeader('cache-control', 'no-store');
  res.type('text/plain; charset=utf-8').send(body);
}

/**
 * The console at the path it is mounted on: hashed assets under `assets/` cached for a year
 * (`immutable`), any other path answered with `index.html` (`no-cache`) so the app's own routes
 * work on reload. No key is needed to load the page; the page asks for the admin key and sends
 * it only to the admin API. Without a build it answers 503 with a sentence saying how to build.
 *
 * @example
 * ```ts
 * app.use('/console', consoleStatic());
 * ```
 */
export function consoleStatic(options: ConsoleStaticOptions = {}): Router {
  const dir = options.dir ?? resolveConsoleDir();
  const router = Router();
  router.use((req, res, next) => {
    securityHeaders(res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      text(res, 405, 'The console only answers GET and HEAD.\n');
      return;
    }
    next();
  });
  if (dir !== undefined) {
    router.use(
      '/assets',
      express.static(path.join(dir, 'assets'), {
        index: false,
        redirect: false,
        fallthrough: false,
        immutable: true,
        maxAge: '365d',
      }),
    );
    router.use(
      express.static(dir, { index: false, redirect: false, maxAge: 0, cacheControl: true }),
    );
  }
  router.use((_req, res) => {
    const index = dir === undefined ? undefined : path.join(dir, 'index.html');
    if (index === undefined || !existsSync(index)) {
      text(res, 503, NOT_BUILT);
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  router.use((error: { status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = error.status === 404 ? 404 : 500;
    text(res, status, status === 404 ? 'Not found.\n' : 'The console could not be served.\n');
  });
  return router;
}
