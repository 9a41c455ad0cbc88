import { runSummarizeSuite } from '@claude-auth/demo-kit/testing';
import { startMockUpstream } from '@claude-auth/gateway';
import { startFastifyServer, startServer } from '../src/server.js';

const startMock = (apiKey: string) => startMockUpstream({ apiKey });
runSummarizeSuite('nest-demo', startServer, startMock);
runSummarizeSuite('nest-demo-fastify', startFastifyServer, startMock);
