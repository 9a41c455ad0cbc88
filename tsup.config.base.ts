import { defineConfig, type Options } from 'tsup';

/**
 * The one build of every published package: ESM and CommonJS for Node 20, declarations for both,
 * source maps. A package's `tsup.config.ts` is `packageConfig()`, or `packageConfig({ entry, dts })`
 * when it has more than `src/index.ts`.
 *
 * In the CommonJS build, a dynamic `import()` (the runtime's optional drivers) becomes `require()`,
 * so a CommonJS service loads the CommonJS build of that package and shares one instance of core
 * (one `ConfigurationError` class, not one per module format).
 *
 * @example
 * ```ts
 * // packages/<name>/tsup.config.ts
 * import { packageConfig } from '../../tsup.config.base.ts';
 *
 * export default packageConfig();
 * ```
 */
export function packageConfig(overrides: Options = {}): ReturnType<typeof defineConfig> {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    esbuildOptions(options, { format }) {
      if (format === 'cjs') options.supported = { ...options.supported, 'dynamic-import': false };
    },
    ...overrides,
  });
}
