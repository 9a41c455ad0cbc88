import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../packages/testing/vitest.shared.ts';

// Browser tests: one Chromium, one gateway; the files run one after another. `expect.poll`
// waits up to 10 s (not 1 s): the page answers slower on a loaded CI machine.
export default defineConfig(
  mergeConfig(sharedTestConfig(import.meta.dirname, { serial: true, testTimeout: 60_000 }), {
    test: { expect: { poll: { timeout: 10_000, interval: 100 } } },
  }),
);
