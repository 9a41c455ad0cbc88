/**
 * Rows `claude-express` and `claude-express-flood`: Express 5 + `claudeAuth()` (memory store,
 * cache, key rate limit never reached), then `express.json()`.
 */
import { serveClaudeExpress } from './claude-express-app.js';
import { createBenchAuth } from './claude-setup.js';

await serveClaudeExpress(await createBenchAuth());
