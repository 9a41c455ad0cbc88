/**
 * The core forwarder alone: node:http in, `createClaudeProxy` out (the gateway's upstream half:
 * header filtering, the upstream key, usage reading, the pooled agent), no framework and no
 * authentication: every request acts as one fixed caller. With WORKSPACE=1 the caller acts in a
 * workspace, so each reply's usage is "debited" through a `recordSpend` that only counts (no
 * store), and the reply's end waits for it like the gateway's. PORT (listen) and UPSTREAM (base
 * URL) from the environment.
 */
import http from 'node:http';
import { createClaudeProxy, type ClaudeAuth } from '@claude-auth/core';

const proxy = createClaudeProxy({
  baseUrl: process.env.UPSTREAM ?? 'http://127.0.0.1:8081',
  apiKey: 'mock-upstream-key',
});
let debits = 0;
const workspaceId = process.env.WORKSPACE === '1' ? 'wrkspc_bench' : null;
let sequence = 0;

const server = http.createServer((req, res) => {
  const requestId = `req_bench${(sequence++).toString(36)}`;
  res.setHeader('request-id', requestId);
  const auth: ClaudeAuth = {
    keyId: 'key_bench',
    keyName: 'bench',
    keyHint: 'cla_api_live_…bench',
    kind: 'api',
    environment: 'live',
    keyWorkspaceId: workspaceId,
    workspaceId,
    permissions: [],
    version: '2023-06-01',
    requestId,
    recordSpend: () => {
      debits++;
      return Promise.resolve({ applied: true, totalMicros: debits, limitMicros: null });
    },
  };
  void proxy.forward({ req, res, auth });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 8083), '127.0.0.1', () => {
  console.log(`core-proxy listening on http://127.0.0.1:${Number(process.env.PORT ?? 8083)}`);
});
// Exit normally on SIGTERM, so that `node --cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0));
