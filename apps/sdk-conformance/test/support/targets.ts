/**
 * The services the SDK conformance suite drives. A target is anything with a base URL and a way
 * to get the suite's keys: today the three demos (Nest on both platforms), each started in
 * process on its own temporary SQLite store, and the gateway in front of its offline mock
 * upstream; a remote deployment can be added as another entry that returns its URL and the keys
 * it issued.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KeyManager, loadConfig } from '@claude-auth/core';
import { openStore } from '@claude-auth/runtime';
import type { StartServer } from '@claude-auth/demo-kit';
import { startGateway } from '@claude-auth/gateway';
import { startServer as startExpressDemo } from '@claude-auth/express-demo';
import { startServer as startKoaDemo } from '@claude-auth/koa-demo';
import {
  startFastifyServer as startNestFastifyDemo,
  startServer as startNestExpressDemo,
} from '@claude-auth/nest-demo';

/** The keys and ids one SDK run needs, issued by the target. */
export interface TargetFixtures {
  /** An organisation-wide key. */
  key: string;
  /** A well-formed key the target never issued. */
  wrongKey: string;
  /** A key of workspace A, its id, and the id of workspace B (which it may not act in). */
  workspaceKey: string;
  workspaceId: string;
  otherWorkspaceId: string;
  /** A key limited to 60 requests per minute with a burst of 1 (`retry-after: 1`). */
  rateLimitedKey: string;
  /** A key of a workspace whose monthly spend limit one request uses up. */
  spendLimitedKey: string;
}

/** A started target. */
export interface RunningTarget {
  /** What the SDK gets as `baseURL`. */
  baseURL: string;
  /** Issues a fresh set of fixtures (one per SDK, so runs do not share limits). */
  fixtures(): Promise<TargetFixtures>;
  /** What a workspace spent this month, in micro-dollars, as the store has it. */
  spentMicros(workspaceId: string): Promise<number>;
  close(): Promise<void>;
}

/** A service the suite can drive. */
export interface ConformanceTarget {
  name: string;
  start(): Promise<RunningTarget>;
}

/** The gateway in front of its built-in offline mock upstream (no upstream key in its env). */
const startGatewayWithMock: StartServer = (config, options) =>
  startGateway(config, { ...options, env: {}, print: () => undefined, mockStreamDelayMs: 0 });

/**
 * A demo started in process on a temporary SQLite store; keys are issued, as the CLI issues them,
 * by a key manager on a connection of its own to the same file.
 */
function demoTarget(name: string, startServer: StartServer): ConformanceTarget {
  return {
    name,
    async start() {
      const dir = await mkdtemp(
        path.join(tmpdir(), `sdk-conformance-${name.replace(/[^a-z0-9]+/g, '-')}-`),
      );
      const storeUrl = `sqlite:${path.join(dir, 'claude-auth.db')}`;
      const config = loadConfig({
        env: { CLAUDE_AUTH_STORE_URL: storeUrl, CLAUDE_AUTH_LOG_LEVEL: 'error' },
      });
      const server = await startServer(config, { port: 0 });

      const store = await openStore(storeUrl, { cwd: dir });
      const keys = new KeyManager({ store, usageFlushIntervalMs: 0 });
      const workspace = async (monthlySpendLimitUsd?: number): Promise<string> =>
        (
          await keys.createWorkspace({
            name: 'w',
            ...(monthlySpendLimitUsd === undefined ? {} : { monthlySpendLimitUsd }),
          })
        ).id;
      const key = async (workspaceId?: string): Promise<{ id: string; secret: string }> => {
        const { key: created, secret } = await keys.createKey({
          name: 'sdk',
          ...(workspaceId === undefined ? {} : { workspaceId }),
        });
        return { id: created.id, secret };
      };

      return {
        baseURL: server.url,
        async fixtures() {
          const a = await workspace();
          const b = await workspace();
          const tiny = await workspace(0.000001);
          const org = await key();
          const limited = await key();
          await keys.setKeyRateLimit(limited.id, { rpm: 60, burst: 1 });
          return {
            key: org.secret,
            wrongKey: `${org.secret.slice(0, -8)}AAAAAAAA`,
            workspaceKey: (await key(a)).secret,
            workspaceId: a,
            otherWorkspaceId: b,
            rateLimitedKey: limited.secret,
            spendLimitedKey: (await key(tiny)).secret,
          };
        },
        async spentMicros(workspaceId) {
          return (await keys.getWorkspaceUsage(workspaceId)).spentMicros;
        },
        async close() {
          await keys.close();
          await store.close?.();
          await server.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

/**
 * Every target the suite runs against.
 *
 * @example
 * ```ts
 * const running = await TARGETS[0].start();
 * new Anthropic({ apiKey: (await running.fixtures()).key, baseURL: running.baseURL });
 * ```
 */
export const TARGETS: readonly ConformanceTarget[] = [
  demoTarget('express-demo', startExpressDemo),
  demoTarget('koa-demo', startKoaDemo),
  demoTarget('nest-demo (express)', startNestExpressDemo),
  demoTarget('nest-demo (fastify)', startNestFastifyDemo),
  demoTarget('gateway (mock upstream)', startGatewayWithMock),
];
