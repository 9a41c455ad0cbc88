import { packageConfig } from '../../tsup.config.base.ts';

// Two entries: the root never names @anthropic-ai/sdk (an optional peer), so a project without
// it type-checks; `@claude-auth/runtime/anthropic` does, and loads it.
export default packageConfig({
  entry: { index: 'src/index.ts', anthropic: 'src/anthropic/index.ts' },
});
