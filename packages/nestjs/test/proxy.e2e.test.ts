import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { All, Controller, Req, Res } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyManager } from '@claude-auth/core';
import { ClaudeAuthModule, ClaudeProxyService } from '../src/index.js';
import { PLATFORMS, authHeaders, startApp, type StartedApp } from './support/platforms.js';

let seen: { headers: IncomingHttpHeaders; url?: string; body: string } | undefined;
const upstream = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    seen = { headers: req.headers, url: req.url, body };
    res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_up' });
    res.end('event: ping\ndata: {"type":"ping"}\n\n');
  });
});
let upstreamUrl: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

/** Express 5 names its wildcard (`*path`); Fastify's is a bare `*`. */
function proxyController(wildcard: string) {
  @Controller('v1')
  class ProxyController {
    constructor(private readonly proxy: ClaudeProxyService) {}
    @All(wildcard)
    forward(@Req() req: unknown, @Res() res: unknown): Promise<void> {
      return this.proxy.forward(req, res);
    }
  }
  return ProxyController;
}

describe.each(PLATFORMS)('ClaudeProxyService on %s', (platform) => {
  let started: StartedApp;
  let keys: KeyManager;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ClaudeAuthModule.forRoot({ global: true, failedAuth: false })],
      controllers: [proxyController(platform === 'fastify' ? '*' : '*path')],
      providers: [
        {
          provide: ClaudeProxyService,
          useFactory: () => new ClaudeProxyService({ baseUrl: upstreamUrl, apiKey: 'sk-up' }),
        },
      ],
    }).compile();
    started = await startApp(moduleRef, platform);
    keys = started.app.get(KeyManager);
  });
  afterAll(() => started.app.close());

  it('forwards a guarded request with the upstream key, body and query, and streams back', async () => {
    const { secret } = await keys.createKey({ name: 'proxy' });
    const res = await fetch(`${started.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { ...authHeaders(secret), 'content-type': 'application/json' },
      body: '{"model":"m","stream":true}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toBe('req_up');
    expect(await res.text()).toContain('event: ping');
    expect(seen?.url).toBe('/v1/messages?beta=true');
    expect(seen?.headers['x-api-key']).toBe('sk-up');
    expect(JSON.parse(seen!.body)).toEqual({ model: 'm', stream: true });
  });

  it('refuses a request without a key before any upstream call', async () => {
    seen = undefined;
    const res = await fetch(`${started.url}/v1/messages`, {
      method: 'POST',
      headers: authHeaders(),
    });
    expect(res.status).toBe(401);
    expect(seen).toBeUndefined();
  });
});
