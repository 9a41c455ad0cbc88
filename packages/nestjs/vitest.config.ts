import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../packages/testing/vitest.shared.ts';

// Nest test apps need legacy decorators and decorator metadata, which esbuild does not emit:
// SWC compiles the TypeScript instead. The library itself uses explicit @Inject() tokens only.
export default defineConfig(
  sharedTestConfig(import.meta.dirname, {
    plugins: [
      swc.vite({
        module: { type: 'es6' },
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
      }),
    ],
  }),
);
