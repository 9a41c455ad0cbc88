import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP, consoleStatic, resolveConsoleDir } from '../src/console-static.js';

const dir = mkdtempSync(path.join(tmpdir(), 'console-static-'));
const built = path.join(dir, 'dist');
const INDEX =
  '<!doctype html><title>console</title><script type="module" src="/console/assets/app-1a2b3c.js"></script>';

let server: Server;
let url: string;

beforeAll(async () => {
  mkdirSync(path.join(built, 'assets'), { recursive: true });
  writeFileSync(path.join(built, 'index.html'), INDEX);
  writeFileSync(path.join(built, 'assets', 'app-1a2b3c.js'), 'console.log(1);');
  const app = express();
  app.use('/console', consoleStatic({ dir: built }));
  app.use('/unbuilt', consoleStatic({ dir: path.join(dir, 'nothing-here') }));
  app.use((_req, res) => void res.status(418).send('behind'));
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('consoleStatic', () => {
  it('serves index.html at /console and for every client route, no-cache, under the strict CSP', async () => {
    for (const route of ['/console', '/console/', '/console/keys', '/console/keys/key_123']) {
      const res = await fetch(`${url}${route}`);
      expect(res.status, route).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toBe(INDEX);
    }
    expect(CONSOLE_CSP).toContain("default-src 'self'");
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe');
  });

  it('caches hashed assets for a year and answers 404 (not index.html) for a missing one', async () => {
    const asset = await fetch(`${url}/console/assets/app-1a2b3c.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(await asset.text()).toBe('console.log(1);');

    const missing = await fetch(`${url}/console/assets/app-000000.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^text\/plain/);
    const traversal = await fetch(`${url}/console/assets/..%2f..%2fetc%2fpasswd`);
    expect(traversal.status).not.toBe(200);
  });

  it('answers 405 to anything but GET and HEAD', async () => {
    const res = await fetch(`${url}/console/keys`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('says how to build the console when it has not been built (503 text)', async () => {
    const res = await fetch(`${url}/unbuilt/keys`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toContain('pnpm --filter @claude-auth/console build');
  });

  it('leaves other paths to the app behind it', async () => {
    expect((await fetch(`${url}/consoles`)).status).toBe(418);
  });

  it('finds the console package (a dev dependency of the gateway) or CLAUDE_AUTH_CONSOLE_DIR', () => {
    expect(resolveConsoleDir({})).toBe(path.resolve(import.meta.dirname, '../../console/dist'));
    expect(resolveConsoleDir({ CLAUDE_AUTH_CONSOLE_DIR: built })).toBe(built);
  });
});
