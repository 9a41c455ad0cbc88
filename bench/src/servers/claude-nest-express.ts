/** Row `claude-nest-express`: NestJS (Express platform) + `ClaudeAuthModule` (global guard). */
import { createClaudeNestModule } from './claude-nest.js';
import { startNest } from './nest-app.js';

const { module, apiKey } = await createClaudeNestModule();
await startNest(module, 'express', { apiKey });
