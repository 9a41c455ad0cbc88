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
import { run } from '@claude-auth/cli';
import { loadConfig } from '@claude-auth/core';
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

/** A demo started in process on a temporary SQLite store; keys are issued with the CLI. */
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

      async function cli(...args: string[]): Promise<string> {
        let stdout = '';
        let stderr = '';
        const code = await run([...args, '--json', '--store', storeUrl], {
          stdout: { write: (s: string) => (stdout += s) },
          stderr: { write: (s: string) => (stderr += s) },
          env: {},
          cwd: dir,
        });
        if (code !== 0) throw new Error(`claude-auth ${args[0]} ${args[1]} failed: ${stderr}`);
        return stdout;
      }
      const workspace = async (...extra: string[]): Promise<string> =>
        (JSON.parse(await cli('workspaces', 'create', '--name', 'w', ...extra)) as { id: string })
          .id;
      const key = async (...extra: string[]): Promise<{ id: string; secret: string }> => {
        const out = JSON.parse(await cli('keys', 'create', '--name', 'sdk', ...extra)) as {
          secret: string;
          key: { id: string };
        };
        return { id: out.key.id, secret: out.secret };
      };

      return {
        baseURL: server.url,
        async fixtures() {
          const a = await workspace();
          const b = await workspace();
          const tiny = await workspace('--monthly-usd', '0.000001');
          const org = await key();
          const limited = await key();
          await cli('keys', 'set-rate-limit', limited.id, '--rpm', '60', '--burst', '1');
          return {
            key: org.secret,
            wrongKey: `${org.secret.slice(0, -8)}AAAAAAAA`,
            workspaceKey: (await key('--workspace', a)).secret,
            workspaceId: a,
            otherWorkspaceId: b,
            rateLimitedKey: limited.secret,
            spendLimitedKey: (await key('--workspace', tiny)).secret,
          };
        },
        async spentMicros(workspaceId) {
          const usage = JSON.parse(await cli('workspaces', 'usage', workspaceId)) as {
            spentMicros: number;
          };
          return usage.spentMicros;
        },
        async close() {
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
