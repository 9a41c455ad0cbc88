import { runSummarizeSuite } from '@claude-auth/demo-kit/testing';
import { startMockUpstream } from '@claude-auth/gateway';
import { startServer } from '../src/server.js';

runSummarizeSuite('express-demo', startServer, (apiKey) => startMockUpstream({ apiKey }));
