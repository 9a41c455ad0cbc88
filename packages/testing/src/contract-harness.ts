/**
 * Runs the HTTP contract table (`contract-table.ts`) against one adapter: builds the fixtures and
 * one authenticator per variant and vocabulary, asks the adapter to serve them, sends every case
 * over real HTTP (`node:http`, so duplicated headers and raw header casing are possible) and
 * checks status, body, and contract headers.
 */
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import {
  KeyManager,
  MemoryKeyStore,
  StoreUnavailableError,
  createAuthenticator,
  generateApiKey,
  newWorkspaceId,
  spendPeriod,
  type Authenticator,
  type CreateKeyInput,
  type ErrorVocabulary,
  type KeyStore,
} from '@claude-auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTRACT_BODY_LIMIT_BYTES,
  CONTRACT_CASES,
  CONTRACT_ROUTES,
  CONTRACT_VOCABULARIES,
  DEFAULT_KEY_RPM,
  FAILED_AUTH_LIMIT,
  LIMITED_KEY_RPM,
  type ContractCase,
  type ContractExpectation,
  type ContractFixtures,
  type ContractRequest,
  type ContractRoute,
  type ContractVariant,
} from './contract-table.js';
import { createSecretCapture } from './secret-hygiene.js';

/** What an adapter's server factory receives. */
export interface ContractServerContext {
  /** Mount the adapter's global middleware with this authenticator. */
  authenticator: Authenticator;
  /** Mount each behind the adapter's per-route guard with `route.requirements`. */
  routes: readonly ContractRoute[];
  /** The JSON body parser's limit: larger bodies must get the contract's 413. */
  bodyLimitBytes: number;
  /** For names and logs only. */
  variant: ContractVariant;
  vocabulary: ErrorVocabulary;
}

/** A running server of the adapter under test. */
export interface ContractServer {
  /** e.g. `http://127.0.0.1:4123`. */
  baseUrl: string;
  close(): Promise<void>;
  /** The Node HTTP server, when the adapter exposes it (the fuzz suite adds a `clientError` listener). */
  httpServer?: Server;
}

/** Starts the adapter's server for one context; listen on 127.0.0.1 port 0. */
export type StartContractServer = (context: ContractServerContext) => Promise<ContractServer>;

/** A response as received, headers lower-cased by Node. */
export interface ContractResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * Sends one table request with `node:http`: header names keep their casing and an array value
 * goes out as several header lines.
 *
 * @example
 * ```ts
 * const res = await sendContractRequest(baseUrl, { method: 'GET', path: '/v1/models', headers: [['x-api-key', [a, b]]] });
 * ```
 */
export function sendContractRequest(
  baseUrl: string,
  spec: ContractRequest,
): Promise<ContractResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(spec.path, baseUrl),
      { method: spec.method, agent: false, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${spec.method} ${spec.path} timed out`)));
    req.on('error', reject);
    for (const [name, value] of spec.headers ?? [])
      req.setHeader(name, typeof value === 'string' ? value : [...value]);
    req.end(spec.body);
  });
}

/** A store whose every call rejects with `StoreUnavailableError` while `down` is true. */
function switchableStore(inner: KeyStore): { store: KeyStore; setDown: (down: boolean) => void } {
  let down = false;
  const store = new Proxy(inner, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        down
          ? Promise.reject(new StoreUnavailableError())
          : (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  });
  return { store, setDown: (value) => void (down = value) };
}

/** Creates the fixture keys and workspaces in `store`. */
async function createFixtures(store: MemoryKeyStore): Promise<ContractFixtures> {
  const keys = new KeyManager({ store, environment: 'live' });
  const a = await keys.createWorkspace({ name: 'a' });
  const b = await keys.createWorkspace({ name: 'b' });
  const spent = await keys.createWorkspace({ name: 'spent', monthlySpendLimitUsd: 0.01 });
  await store.debitSpend({
    workspaceId: spent.id,
    period: spendPeriod(new Date()),
    amountMicros: 10_000,
    limitMicros: null,
    force: true,
  });
  const make = async (name: string, input: Omit<CreateKeyInput, 'name'> = {}) =>
    keys.createKey({ name, permissions: ['*'], ...input });

  const org = await make('org');
  const revoked = await make('revoked');
  await keys.archiveKey(revoked.key.id);
  const inactive = await make('inactive');
  await keys.setKeyStatus(inactive.key.id, 'inactive');
  const expired = await make('expired');
  await store.updateKey(expired.key.id, { expiresAt: new Date(Date.now() - 60_000) });
  const fixtures: ContractFixtures = {
    keys: {
      org: org.secret,
      admin: (await make('admin', { kind: 'admin' })).secret,
      workspaceA: (await make('workspace-a', { workspaceId: a.id })).secret,
      workspaceB: (await make('workspace-b', { workspaceId: b.id })).secret,
      limited: (await make('limited', { permissions: ['messages:write'] })).secret,
      filesWriter: (await make('files-writer', { permissions: ['files:write'] })).secret,
      rateLimited: (
        await make('rate-limited', { rateLimit: { rpm: LIMITED_KEY_RPM, burst: LIMITED_KEY_RPM } })
      ).secret,
      spent: (await make('spent', { workspaceId: spent.id })).secret,
      revoked: revoked.secret,
      inactive: inactive.secret,
      expired: expired.secret,
      otherEnvironment: (await make('other-environment', { environment: 'test' })).secret,
      unknown: generateApiKey(),
      badChecksum: `${org.secret.slice(0, -1)}${org.secret.endsWith('A') ? 'B' : 'A'}`,
    },
    workspaces: { a: a.id, b: b.id, spent: spent.id, unknown: newWorkspaceId() },
  };
  await keys.close();
  return fixtures;
}

/** Checks one response against its expectation; `sent` are the key values the request carried. */
function checkResponse(
  res: ContractResponse,
  expected: ContractExpectation,
  sent: readonly string[],
): void {
  const context = `${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, context).toBe(expected.status);
  expect(res.headers['content-type'], 'content-type').toMatch(/^application\/json(?:;|$)/);
  const requestId = res.headers['request-id'];
  expect(requestId, 'request-id header').toMatch(/^req_[0-9A-Za-z]+$/);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(body.request_id, 'request_id equals the request-id header').toBe(requestId);
  delete body.request_id;
  expect(body, context).toEqual(expected.body);
  for (const [name, want] of Object.entries(expected.headers ?? {})) {
    const got = res.headers[name];
    if (want === null) expect(got, `header ${name} must be absent`).toBeUndefined();
    else if (typeof want === 'string') expect(got, `header ${name}`).toBe(want);
    else expect(got, `header ${name}`).toMatch(want);
  }
  const raw = `${JSON.stringify(res.headers)}\n${res.text}`;
  for (const key of sent) {
    if (key.length >= 16)
      expect(raw.includes(key.slice(-12)), 'response leaks key material').toBe(false);
  }
}

/** The key values a request carries in `x-api-key` or `Authorization` (any casing, scheme dropped). */
function sentKeys(spec: ContractRequest): string[] {
  return (spec.headers ?? [])
    .filter(([name]) => ['x-api-key', 'authorization'].includes(name.toLowerCase()))
    .flatMap(([, value]) => (typeof value === 'string' ? [value] : [...value]))
    .map((value) => value.replace(/^\S+\s+/, ''));
}

/**
 * Registers the contract table with vitest for one adapter: every case of `cases` (default
 * {@link CONTRACT_CASES}) in both vocabularies. `startServer` is called once per variant and
 * vocabulary the cases need, lazily; servers are closed after the table.
 *
 * @example
 * ```ts
 * runContractTable('express', async ({ authenticator, routes, bodyLimitBytes }) => {
 *   const app = express();
 *   app.use(claudeAuth({ authenticator }), express.json({ limit: bodyLimitBytes }));
 *   // mount routes with requireApiKey(route.requirements) ...
 *   const server = app.listen(0, '127.0.0.1');
 *   // ...return { baseUrl, close }
 * });
 * ```
 */
export function runContractTable(
  adapterName: string,
  startServer: StartContractServer,
  cases: readonly ContractCase[] = CONTRACT_CASES,
): void {
  describe(`${adapterName}: HTTP contract table`, () => {
    const store = new MemoryKeyStore();
    const capture = createSecretCapture();
    let fixtures: ContractFixtures;
    const running = new Map<
      string,
      Promise<{
        server: ContractServer;
        authenticator: Authenticator;
        setDown: (down: boolean) => void;
      }>
    >();

    async function serverFor(
      variant: ContractVariant,
      vocabulary: ErrorVocabulary,
    ): Promise<ContractServer> {
      const id = `${variant}:${vocabulary}`;
      let entry = running.get(id);
      if (entry === undefined) {
        entry = (async () => {
          const switchable = switchableStore(store);
          const authenticator = createAuthenticator({
            store: switchable.store,
            environment: 'live',
            vocabulary,
            versionPolicy: variant === 'reject' ? 'reject' : variant === 'allow' ? 'allow' : 'warn',
            ...(variant === 'x-api-key-only' ? { credentials: ['x-api-key'] as const } : {}),
            rateLimit: { key: { rpm: DEFAULT_KEY_RPM }, workspace: false },
            failedAuth: { maxPerMinute: variant === 'failed-auth' ? FAILED_AUTH_LIMIT : 100_000 },
            cache: variant === 'store-down' ? false : {},
            logger: capture.logger,
          });
          switchable.setDown(variant === 'store-down');
          const server = await startServer({
            authenticator,
            routes: CONTRACT_ROUTES,
            bodyLimitBytes: CONTRACT_BODY_LIMIT_BYTES,
            variant,
            vocabulary,
          });
          return { server, authenticator, setDown: switchable.setDown };
        })();
        running.set(id, entry);
      }
      return (await entry).server;
    }

    beforeAll(async () => {
      fixtures = await createFixtures(store);
    });

    afterAll(async () => {
      for (const entry of running.values()) {
        const { server, authenticator, setDown } = await entry;
        setDown(false);
        await server.close();
        await authenticator.close();
      }
    });

    const rows = cases.flatMap((contractCase) =>
      CONTRACT_VOCABULARIES.map((vocabulary) => ({
        title: `[${vocabulary}${contractCase.variant === undefined ? '' : `, ${contractCase.variant}`}] ${contractCase.name}`,
        contractCase,
        vocabulary,
      })),
    );

    it.each(rows)('$title', async ({ contractCase, vocabulary }) => {
      const server = await serverFor(contractCase.variant ?? 'default', vocabulary);
      const spec = contractCase.request(fixtures);
      for (let i = 0; i < (contractCase.warmup?.count ?? 0); i++) {
        const res = await sendContractRequest(server.baseUrl, spec);
        expect(res.status, `warm-up request ${i + 1}: ${res.text.slice(0, 200)}`).toBe(
          contractCase.warmup?.status,
        );
      }
      const res = await sendContractRequest(server.baseUrl, spec);
      capture.record(contractCase.name, `${JSON.stringify(res.headers)}\n${res.text}`);
      checkResponse(res, contractCase.expect(vocabulary, fixtures), sentKeys(spec));
    });

    it('leaks no key material in any response or log line of the table', () => {
      expect(capture.size).toBeGreaterThanOrEqual(rows.length);
      const known = Object.values(fixtures.keys).filter((key) => key.length >= 16);
      expect(capture.findings(known)).toEqual([]);
    });
  });
}
