import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../packages/testing/vitest.shared.ts';

// One target at a time: each starts a server and the rate-limit cases wait on real time.
export default defineConfig(
  sharedTestConfig(import.meta.dirname, { serial: true, testTimeout: 30_000 }),
);
