import { defineConfig } from 'tsup';

export default defineConfig({
  // `cli.ts` is the `claude-auth` bin (dist/cli.js, shebang kept and made executable by tsup).
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: ['src/index.ts'] },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
