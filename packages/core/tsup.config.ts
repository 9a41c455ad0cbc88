import { packageConfig } from '../../tsup.config.base.ts';

// Two entries; splitting (ESM and CJS) keeps one copy of each class that both export.
export default packageConfig({
  entry: { index: 'src/index.ts', store: 'src/store/index.ts' },
  splitting: true,
});
