import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../packages/testing/vitest.shared';

export default defineConfig(sharedTestConfig(import.meta.dirname, { serial: true, testTimeout: 120_000 }));
