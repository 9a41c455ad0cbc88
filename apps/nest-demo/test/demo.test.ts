import { runDemoSuite } from '@claude-auth/demo-kit/testing';
import { startFastifyServer, startServer } from '../src/server.js';

runDemoSuite('nest-demo', startServer);
runDemoSuite('nest-demo-fastify', startFastifyServer);
