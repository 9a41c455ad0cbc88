import { defineConfig } from 'tsup';

export default defineConfig({
  // Two entries share one copy of each class (chunks), in ESM and CJS alike.
  entry: { index: 'src/index.ts', store: 'src/store/index.ts' },
  splitting: true,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
