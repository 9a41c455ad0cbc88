import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import { bootstrap } from './support/readme-app.js';

describe('README', () => {
  it('opens with the snippet of test/support/readme-app.ts, verbatim', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const snippet = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const source = await readFile(new URL('./support/readme-app.ts', import.meta.url), 'utf8');
    expect(snippet?.trim()).toBe(source.trim());
  });

  it('runs: health is public, the created key calls /v1/messages, no key gets 401', async () => {
    const { app, secret } = await bootstrap(0);
    try {
      const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
      const url = `http://127.0.0.1:${port}`;
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const headers = { 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
      const ok = await fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: { ...headers, 'x-api-key': secret },
        body: JSON.stringify({ messages: [] }),
      });
      expect(ok.status).toBe(201);
      expect(await ok.json()).toMatchObject({ id: 'msg_1', workspace: null });
      const refused = await fetch(`${url}/v1/messages`, { method: 'POST', headers, body: '{}' });
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({
        type: 'error',
        error: { type: 'authentication_error' },
      });
    } finally {
      await app.close();
    }
  });
});
