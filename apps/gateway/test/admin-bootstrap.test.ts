import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAuthenticator, loadConfig, type KeyKind } from '@claude-auth/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/runtime.js';
import { startGateway } from '../src/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gateway-admin-boot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { warn: () => undefined, error: () => undefined };

/** Starts a gateway on a store that already holds keys of `kinds` (as the CLI makes them). */
async function startWith(name: string, kinds: KeyKind[], inactive = false) {
  const config = loadConfig({
    env: {},
    overrides: { storeUrl: `sqlite:${path.join(dir, `${name}.db`)}`, logLevel: 'error' },
  });
  const runtime = await createRuntime(config, { logger: quiet });
  const authenticator = createAuthenticator(runtime.authenticatorOptions);
  for (const kind of kinds) {
    const { key } = await authenticator.keys.createKey({ name: kind, kind });
    if (inactive) await authenticator.keys.setKeyStatus(key.id, 'inactive');
  }
  await authenticator.close();
  await runtime.close();
  const warnings: string[] = [];
  const printed: string[] = [];
  const gateway = await startGateway(config, {
    port: 0,
    env: {},
    logger: { warn: (message) => warnings.push(message), error: () => undefined },
    print: (line) => printed.push(line),
  });
  await gateway.close();
  return { gateway, warnings, printed };
}

describe('admin key on start', () => {
  it('warns with the CLI command when the store has keys but no admin key', async () => {
    const { gateway, warnings, printed } = await startWith('api-only', ['api']);
    expect(gateway.adminKey).toBeUndefined();
    expect(printed).toEqual([]);
    const warning = warnings.find((line) => line.includes('no active admin key'));
    expect(warning).toContain('pnpm -s claude-auth keys create --name admin --kind admin');
  });

  it('warns when the only admin key is inactive', async () => {
    const { warnings } = await startWith('inactive-admin', ['admin'], true);
    expect(warnings.some((line) => line.includes('no active admin key'))).toBe(true);
  });

  it('says nothing when an active admin key exists', async () => {
    const { warnings } = await startWith('with-admin', ['api', 'admin']);
    expect(warnings.some((line) => line.includes('admin key'))).toBe(false);
  });
});
