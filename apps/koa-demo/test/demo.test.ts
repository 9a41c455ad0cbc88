import { runDemoSuite } from '@claude-auth/demo-kit/testing';
import { startServer } from '../src/server.js';

runDemoSuite('koa-demo', startServer);
