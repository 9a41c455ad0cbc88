import { runDemoSuite } from '@claude-auth/demo-kit/testing';
import { startServer } from '../src/server.js';

runDemoSuite('nest-demo', startServer);
