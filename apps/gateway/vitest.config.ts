import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../packages/testing/vitest.shared.ts';

export default defineConfig(sharedTestConfig(import.meta.dirname));
