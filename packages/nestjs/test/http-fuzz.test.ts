import { runHttpFuzz } from '@claude-auth/testing';
import { startNestContractServer } from './support/contract-server.js';

runHttpFuzz('nestjs-express', (context) => startNestContractServer(context, 'express'));
runHttpFuzz('nestjs-fastify', (context) => startNestContractServer(context, 'fastify'));
