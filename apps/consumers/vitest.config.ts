import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../packages/testing/vitest.shared.ts';

const shared = sharedTestConfig(import.meta.dirname, { serial: true, testTimeout: 120_000 });

// No source aliases here: these tests use the built packages (README snippets) and the packed
// tarballs, as a user would.
export default defineConfig({ ...shared, resolve: {} });
