import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../packages/testing/vitest.shared.ts';

// Browser tests: one Chromium, one gateway; the files run one after another.
export default defineConfig(
  sharedTestConfig(import.meta.dirname, { serial: true, testTimeout: 60_000 }),
);
