import { runService } from '@claude-auth/demo-kit';
import { startFastifyServer, startServer } from './server.js';

// NEST_PLATFORM=fastify runs the same demo on Nest's Fastify platform (default: Express).
const fastify = process.env.NEST_PLATFORM?.trim().toLowerCase() === 'fastify';
await runService(fastify ? startFastifyServer : startServer, {
  name: fastify ? 'nest-demo (fastify)' : 'nest-demo',
});
