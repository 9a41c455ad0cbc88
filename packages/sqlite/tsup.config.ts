import { packageConfig } from '../../tsup.config.base.ts';

// `shims`: the CommonJS build gets `import.meta.url` (the WAL checkpointer resolves
// better-sqlite3 from it for its worker thread).
export default packageConfig({ shims: true });
