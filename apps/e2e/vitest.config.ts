import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../packages/testing/vitest.shared.ts';

const shared = sharedTestConfig(import.meta.dirname, { serial: true, testTimeout: 120_000 });

// The demo processes run the built packages (as `pnpm start` does): build them once per run.
export default defineConfig({
  ...shared,
  test: { ...shared.test, globalSetup: ['./test/support/global-setup.ts'] },
});
