#!/usr/bin/env node
// The `claude-auth` bin. A committed file rather than `dist/cli.js`, so `pnpm install` in a fresh
// clone can link the bin before the first build; it only loads the built CLI.
import('../dist/cli.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('cli.js')) {
    console.error(
      'claude-auth: the CLI is not built yet. Run `pnpm build`, or `pnpm -s claude-auth …` at the repository root (it builds first).',
    );
    process.exit(1);
  }
  throw error;
});
